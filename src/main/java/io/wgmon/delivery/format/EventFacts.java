package io.wgmon.delivery.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.tracking.EventDetail;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a message about one event can say: the event's fields, read from the event or from its stored
 * {@link JsonPayloadFormat} body (chat receivers keep the event, not the message, in the store, so that
 * a burst read back after a restart can still become one summary).
 *
 * @param key              the public key, null for a source event ({@code handshake.failed})
 * @param endpoint         "ip:port", null when unknown
 * @param reason           for {@code peer.disconnected} only, null otherwise
 * @param connectedSeconds for {@code peer.disconnected} only, null otherwise
 * @param sessionId        the session the event belongs to, null when unknown
 * @param sessionRxBytes   the session's received bytes, for {@code peer.disconnected} only, null otherwise
 * @param sessionTxBytes   the session's sent bytes, for {@code peer.disconnected} only, null otherwise
 * @param detail           the {@code detail} object's fields (docs/architecture.md#events), empty for connect and disconnect
 */
public record EventFacts(String event, String id, Instant time, String host, String interfaceName, String key,
                  String name, String endpoint, String reason, Long connectedSeconds, String sessionId,
                  Long sessionRxBytes, Long sessionTxBytes, Map<String, Object> detail) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();

    public EventFacts {
        detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    public static EventFacts of(PeerEvent event) {
        boolean disconnected = event.type() == PeerEventType.DISCONNECTED;
        return new EventFacts(event.type().wireName(), event.id().toString(), event.time(), event.host(),
                event.interfaceName(), event.publicKey(), event.name(),
                event.aboutPeer() ? event.peer().endpointText() : null,
                disconnected && event.reason() != null ? event.reason().wireName() : null,
                disconnected && event.connectedFor() != null ? event.connectedFor().getSeconds() : null,
                event.sessionId() == null ? null : event.sessionId().toString(),
                disconnected && event.traffic() != null ? event.traffic().rxBytes() : null,
                disconnected && event.traffic() != null ? event.traffic().txBytes() : null,
                DetailValues.of(event.detail()));
    }

    /** What templates are tried with at start-up. */
    public static EventFacts sample() {
        return new EventFacts("peer.disconnected", "00000000-0000-0000-0000-000000000000", Instant.EPOCH, "host", "wg0",
                "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=", "alice-laptop", "198.51.100.7:51820", "idle", 7980L,
                "00000000-0000-0000-0000-000000000001", 1834221L, 209114L, Map.of());
    }

    /** The same event under another name (a chat's escaped one). */
    public EventFacts withName(String other) {
        return new EventFacts(event, id, time, host, interfaceName, key, other, endpoint, reason, connectedSeconds,
                sessionId, sessionRxBytes, sessionTxBytes, detail);
    }

    /** @param json a body of {@link JsonPayloadFormat} */
    public static EventFacts fromJson(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode peer = root.path("peer");
            JsonNode seconds = root.path("connectedSeconds");
            return new EventFacts(root.path("event").asText(), root.path("id").asText(),
                    Instant.parse(root.path("time").asText()), text(root, "host"), text(root, "interface"),
                    text(peer, "publicKey"), text(peer, "name"), text(peer, "endpoint"), text(root, "reason"),
                    seconds.isNumber() ? seconds.asLong() : null, text(root, "sessionId"),
                    number(root, "sessionRxBytes"), number(root, "sessionTxBytes"), detail(root.path("detail")));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is not the JSON wgmon wrote", e);
        }
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    private static Map<String, Object> detail(JsonNode node) {
        Map<String, Object> detail = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            Object read;
            if (value.isNumber()) {
                read = value.asLong();
            } else if (value.isBoolean()) {
                read = value.asBoolean();
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                read = List.copyOf(items);
            } else {
                read = value.isTextual() ? value.asText() : null;
            }
            detail.put(field.getKey(), read);
        });
        return detail;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    /** The friendly name, else the first 8 characters of the public key; for a source event the source. */
    public String label() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        if (key == null) {
            Object source = detail.get("source");
            return source == null ? "unknown source" : source.toString();
        }
        return key.substring(0, Math.min(8, key.length())) + "…";
    }

    /** The endpoint's address without the port (and without IPv6 brackets). */
    String ip() {
        return ip(endpoint);
    }

    private static String ip(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        int colon = endpoint.lastIndexOf(':');
        String host = colon > 0 ? endpoint.substring(0, colon) : endpoint;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** "2 h 13 min", null when unknown. */
    String connected() {
        return connectedSeconds == null ? null : HumanDuration.of(Duration.ofSeconds(connectedSeconds));
    }

    public String verb() {
        return switch (event) {
            case "peer.connected" -> "connected";
            case "peer.disconnected" -> "disconnected";
            case "peer.roamed" -> "roamed";
            case "peer.endpoint-conflict" -> "used from two places";
            case "handshake.failed" -> "failed handshakes";
            case "peer.stale" -> "stale";
            case "peer.down" -> "down";
            case "peer.up" -> "up again";
            case "peer.first-seen" -> "connected for the first time";
            case "peer.quota" -> "over a quota threshold";
            default -> event;
        };
    }

    /** "alice-laptop (wg0) connected from 198.51.100.7", "alice-laptop (wg0) disconnected after 2 h 13 min: idle". */
    public String text() {
        String who = label() + " (" + interfaceName + ")";
        return switch (event) {
            case "peer.connected" -> who + " connected" + (ip() == null ? "" : " from " + ip());
            case "peer.roamed" -> who + " roamed to " + (ip() == null ? "an unknown endpoint" : ip())
                    + (ip(string("previousEndpoint")) == null ? "" : " from " + ip(string("previousEndpoint")))
                    + (number("suppressed") > 0 ? " (" + number("suppressed") + " more roams not reported)" : "");
            case "peer.disconnected" -> who + " disconnected" + (connected() == null ? "" : " after " + connected())
                    + (reason == null ? "" : ": " + reason);
            case "peer.endpoint-conflict" -> who + " is used from " + list("endpoints").size()
                    + " endpoints at once (" + String.join(", ", list("endpoints")) + "): " + number("flips")
                    + " flips in " + HumanDuration.of(Duration.ofSeconds(number("windowSeconds")))
                    + "; is a config copied?";
            case "handshake.failed" -> "Failed handshakes on " + interfaceName + " from " + label() + ": "
                    + mac1Classes() + (number("summary") > 0 ? "; " + count(number("summary"), "more source", "more sources")
                    + " failed too, not reported one by one" : "");
            case "peer.stale" -> Boolean.TRUE.equals(detail.get("neverConnected"))
                    ? who + " has never connected" + since("firstSeen")
                    : who + " is stale: no handshake" + since("lastHandshake");
            case "peer.down" -> who + " is down: no handshake for "
                    + HumanDuration.of(Duration.ofSeconds(number("graceSeconds")));
            case "peer.up" -> who + " is up again after "
                    + HumanDuration.of(Duration.ofSeconds(number("downSeconds"))) + (ip() == null ? "" : ", from " + ip());
            case "peer.first-seen" -> who + " connected for the first time" + (ip() == null ? "" : ", from " + ip());
            case "peer.quota" -> who + " used " + number("thresholdPercent") + " % of its quota: "
                    + HumanBytes.of(number("usedBytes")) + " of " + HumanBytes.of(number("limitBytes"))
                    + since("periodStart");
            default -> who + " " + event;
        };
    }

    /** The initiations by MAC1 class, named for what they tell about the sender (docs/architecture.md#events). */
    private String mac1Classes() {
        long initiations = number("initiations");
        long valid = number("validMac1");
        long invalid = number("invalidMac1");
        String counted = count(initiations, "initiation", "initiations");
        if (valid == initiations && valid > 0) {
            return counted + " with a valid MAC1, so the sender knows this interface's key (a removed peer or an old config?)";
        }
        if (invalid == initiations && invalid > 0) {
            return counted + " with an invalid MAC1, so the sender does not know this interface's key (a scanner or garbage)";
        }
        if (valid == 0 && invalid == 0) {
            return counted + ", MAC1 not checked (the interface's key was not read yet)";
        }
        long unchecked = initiations - valid - invalid;
        return counted + ", " + valid + " with a valid MAC1 (the sender knows this interface's key), " + invalid
                + " with an invalid one" + (unchecked > 0 ? ", " + unchecked + " not checked" : "");
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** " for 31 d (since 2026-11-06T10:00:00Z)", or "" when unknown. */
    private String since(String field) {
        String text = string(field);
        if (text == null) {
            return "";
        }
        return " for " + HumanDuration.of(Duration.between(Instant.parse(text), time)) + " (since " + text + ")";
    }

    private String string(String field) {
        Object value = detail.get(field);
        return value == null ? null : value.toString();
    }

    private long number(String field) {
        return detail.get(field) instanceof Number value ? value.longValue() : 0;
    }

    private List<String> list(String field) {
        return detail.get(field) instanceof List<?> value ? value.stream().map(String::valueOf).toList() : List.of();
    }

    /** The fields a template sees, every key present (null when unknown), the detail fields of every kind too. */
    public Map<String, Object> templateData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", event);
        data.put("verb", verb());
        data.put("id", id);
        data.put("time", WireTimes.withMillis(time));
        data.put("host", host);
        data.put("interface", interfaceName);
        data.put("key", key);
        data.put("name", name);
        data.put("label", label());
        data.put("endpoint", endpoint);
        data.put("ip", ip());
        data.put("reason", reason);
        data.put("connectedSeconds", connectedSeconds);
        data.put("connected", connected());
        data.put("sessionId", sessionId);
        data.put("sessionRxBytes", sessionRxBytes);
        data.put("sessionTxBytes", sessionTxBytes);
        data.put("text", text());
        EventDetail.FIELD_NAMES.forEach(field -> data.put(field, detail.get(field)));
        data.put("detailJson", detailJson());
        return data;
    }

    /** The detail object as JSON text, "{}" for none (for a template: {@code {detailJson.raw}}). */
    private String detailJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            EventJsonWriter.writeDetail(json, detail);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toString();
    }
}
