package io.wgmon.delivery.format;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.quarkus.qute.Engine;
import io.quarkus.qute.EvalContext;
import io.quarkus.qute.JsonEscaper;
import io.quarkus.qute.NamespaceResolver;
import io.quarkus.qute.RawString;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.ValueResolvers;
import io.quarkus.qute.Variant;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The Qute engine of receiver templates (docs/architecture.md#events), the standalone {@code io.quarkus.qute}
 * engine: templates come from configuration at run time, so the extension's build-time validation has
 * nothing to check. Rendering is strict (an unknown name fails), nothing is HTML-escaped, values in a
 * template of a JSON content type are JSON-escaped, and two helper
 * namespaces exist: {@code {json:str(name)}} (a JSON string literal, quotes included, {@code null} for
 * null) and {@code {human:duration(connectedSeconds)}} ("2 h 13 min").
 */
public final class EventTemplates {
    private final Engine engine = Engine.builder()
            .addDefaults()
            .addValueResolver(new ReflectionValueResolver())
            .addValueResolver(ValueResolvers.rawResolver())
            .addNamespaceResolver(function("json", "str", EventTemplates::jsonString))
            .addNamespaceResolver(function("human", "duration", EventTemplates::humanDuration))
            .addResultMapper(new JsonEscaper())
            .strictRendering(true)
            .removeStandaloneLines(true)
            .build();

    /**
     * Parses the template and renders it once with {@code sample}, so that a misspelt name fails here too.
     *
     * @param what names the template in the error, e.g. "wgmon.webhook.receivers.chat.template"
     * @throws IllegalArgumentException one line: {@code what}, the line and Qute's message
     */
    public Template compile(String what, String content, Map<String, Object> sample) {
        return compile(what, content, sample, null);
    }

    /**
     * As {@link #compile(String, String, Map)}; in a template of a JSON content type every value written
     * is JSON-escaped (to go inside quotes: {@code "peer":"{name}"}), but {@code json:str}'s literals and
     * {@code .raw} values.
     */
    public Template compile(String what, String content, Map<String, Object> sample, String contentType) {
        try {
            Template template = isJson(contentType)
                    ? engine.parse(content, new Variant(Locale.ROOT, Variant.APPLICATION_JSON, "UTF-8"))
                    : engine.parse(content);
            template.data(sample).render();
            return template;
        } catch (TemplateException e) {
            String line = e.getOrigin() == null ? "" : " line " + e.getOrigin().getLine() + ":";
            throw new IllegalArgumentException(what + " does not compile:" + line + " " + oneLine(e.getMessage()));
        }
    }

    /** application/json and the +json types (application/cloudevents+json...), parameters aside. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    public static String render(Template template, Map<String, Object> data) {
        return template.data(data).render();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static NamespaceResolver function(String namespace, String name, Function<Object, Object> body) {
        return NamespaceResolver.builder(namespace).resolveAsync(context -> call(context, name, body)).build();
    }

    private static CompletionStage<Object> call(EvalContext context, String name, Function<Object, Object> body) {
        if (!context.getName().equals(name) || context.getParams().size() != 1) {
            return CompletableFuture.failedFuture(new TemplateException(
                    "unknown helper " + context.getName() + ": use json:str(x) or human:duration(seconds)"));
        }
        return context.evaluate(context.getParams().get(0)).thenApply(body);
    }

    /** A whole JSON string literal, written as it is even where values are JSON-escaped. */
    static RawString jsonString(Object value) {
        if (value == null) {
            return new RawString("null");
        }
        return new RawString("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value.toString())) + "\"");
    }

    private static Object humanDuration(Object seconds) {
        if (seconds == null) {
            return "";
        }
        return HumanDuration.of(Duration.ofSeconds(((Number) seconds).longValue()));
    }
}
