package io.wgmon.delivery.http;

import io.wgmon.delivery.format.Durations;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Why an attempt got no usable reply, in words safe to log: the sender turns every failure into one of
 * these and drops the original exception, whose message (Vert.x's timeout names the request line) and
 * causes may carry the receiver's path and query, where Slack, Discord, Telegram and others keep their
 * credential. Nothing of the URL but scheme, host and port survives {@link #scrub}.
 */
public final class ReceiverFailure extends RuntimeException {
    /** Anything URL-shaped: scheme://authority followed by a path or query. */
    private static final Pattern URL = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s?#]+)[/?#][^\\s\"'<>]*");
    /** A request line as Vert.x and Netty print it: "POST /path?query". */
    private static final Pattern REQUEST_LINE = Pattern.compile(
            "\\b(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\\s+/[^\\s\"'<>]*");

    ReceiverFailure(String reason) {
        super(reason, null, false, false);
    }

    static ReceiverFailure noReplyWithin(Duration timeout) {
        return new ReceiverFailure("no reply within " + Durations.text(timeout));
    }

    static ReceiverFailure replyTooLarge(int cap) {
        return new ReceiverFailure("reply body over " + cap / 1024 + " KiB, discarded");
    }

    /** A failure of any kind described as "Type: message (RootType: message)", the receiver's secrets removed. */
    public static ReceiverFailure of(Throwable failure, URI receiver) {
        if (failure instanceof ReceiverFailure known) {
            return known;
        }
        return new ReceiverFailure(scrub(describe(failure), receiver));
    }

    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    /** Removes the receiver's path, query, fragment and user-info (raw and decoded), and any URL's or request line's path. */
    static String scrub(String text, URI receiver) {
        String scrubbed = text;
        for (String secret : secretsOf(receiver)) {
            scrubbed = scrubbed.replace(secret, "…");
        }
        scrubbed = URL.matcher(scrubbed).replaceAll("$1/…");
        return REQUEST_LINE.matcher(scrubbed).replaceAll("$1 …");
    }

    /** Longest first, so a path is removed whole before its query alone. */
    private static List<String> secretsOf(URI receiver) {
        Set<String> secrets = new LinkedHashSet<>();
        String rawPath = receiver.getRawPath() == null ? "" : receiver.getRawPath();
        String rawQuery = receiver.getRawQuery();
        if (rawQuery != null) {
            secrets.add(rawPath + "?" + rawQuery);
            secrets.add(rawQuery);
            secrets.add(decode(rawQuery));
        }
        if (rawPath.length() > 1) {
            secrets.add(rawPath);
            secrets.add(decode(rawPath));
        }
        if (receiver.getRawFragment() != null) {
            secrets.add(receiver.getRawFragment());
        }
        if (receiver.getRawUserInfo() != null) {
            secrets.add(receiver.getRawUserInfo());
            secrets.add(decode(receiver.getRawUserInfo()));
        }
        List<String> ordered = new ArrayList<>(secrets);
        ordered.removeIf(String::isEmpty);
        ordered.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return ordered;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
