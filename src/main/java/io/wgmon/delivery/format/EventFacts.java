package io.wgmon.delivery.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a message about one event can say: the event's fields, read from the event or from its stored
 * {@link JsonPayloadFormat} body (chat receivers keep the event, not the message, in the store, so that
 * a burst read back after a restart can still become one summary).
 *
 * @param endpoint        "ip:port", null when unknown
 * @param reason          for {@code peer.disconnected} only, null otherwise
 * @param connectedSeconds for {@code peer.disconnected} only, null otherwise
 * @param sessionId       the session the event belongs to, null when unknown
 * @param sessionRxBytes  the session's received bytes, for {@code peer.disconnected} only, null otherwise
 * @param sessionTxBytes  the session's sent bytes, for {@code peer.disconnected} only, null otherwise
 */
public record EventFacts(String event, String id, Instant time, String host, String interfaceName, String key,
                  String name, String endpoint, String reason, Long connectedSeconds, String sessionId,
                  Long sessionRxBytes, Long sessionTxBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static EventFacts of(PeerEvent event) {
        boolean disconnected = event.type() == PeerEventType.DISCONNECTED;
        return new EventFacts(event.type().wireName(), event.id().toString(), event.time(), event.host(),
                event.interfaceName(), event.peer().publicKey(), event.name(), event.peer().endpointText(),
                disconnected && event.reason() != null ? event.reason().wireName() : null,
                disconnected && event.connectedFor() != null ? event.connectedFor().getSeconds() : null,
                event.sessionId() == null ? null : event.sessionId().toString(),
                disconnected && event.traffic() != null ? event.traffic().rxBytes() : null,
                disconnected && event.traffic() != null ? event.traffic().txBytes() : null);
    }

    /** What templates are tried with at start-up. */
    public static EventFacts sample() {
        return new EventFacts("peer.disconnected", "00000000-0000-0000-0000-000000000000", Instant.EPOCH, "host", "wg0",
                "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=", "alice-laptop", "198.51.100.7:51820", "idle", 7980L,
                "00000000-0000-0000-0000-000000000001", 1834221L, 209114L);
    }

    /** The same event under another name (a chat's escaped one). */
    public EventFacts withName(String other) {
        return new EventFacts(event, id, time, host, interfaceName, key, other, endpoint, reason, connectedSeconds,
                sessionId, sessionRxBytes, sessionTxBytes);
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
                    number(root, "sessionRxBytes"), number(root, "sessionTxBytes"));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is not the JSON wgmon wrote", e);
        }
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    /** The friendly name, else the first 8 characters of the public key. */
    public String label() {
        return name != null && !name.isBlank() ? name : key.substring(0, Math.min(8, key.length())) + "…";
    }

    /** The endpoint's address without the port (and without IPv6 brackets). */
    String ip() {
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
            default -> event;
        };
    }

    /** "alice-laptop (wg0) connected from 198.51.100.7", "alice-laptop (wg0) disconnected after 2 h 13 min: idle". */
    public String text() {
        String who = label() + " (" + interfaceName + ")";
        return switch (event) {
            case "peer.connected" -> who + " connected" + (ip() == null ? "" : " from " + ip());
            case "peer.roamed" -> who + " roamed to " + (ip() == null ? "an unknown endpoint" : ip());
            case "peer.disconnected" -> who + " disconnected" + (connected() == null ? "" : " after " + connected())
                    + (reason == null ? "" : ": " + reason);
            default -> who + " " + event;
        };
    }

    /** The fields a template sees, every key present (null when unknown). */
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
        return data;
    }
}
