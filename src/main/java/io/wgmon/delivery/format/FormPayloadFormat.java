package io.wgmon.delivery.format;

import io.wgmon.tracking.PeerEvent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The original wgmon's body, byte for byte: {@code content=} followed by the text, form-encoded (UTF-8) as Go does,
 * {@code Connection <interface>:<public key> on endpoint <ip:port> is opened} (or {@code is closed}).
 * The original had no other event; {@code peer.roamed} becomes
 * {@code Connection <interface>:<public key> roamed to endpoint <ip:port>}, and every other type a line of the
 * same style ({@link #text}). A peer without an endpoint shows {@code none}.
 */
public final class FormPayloadFormat implements PayloadFormat {
    public static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    @Override
    public String name() {
        return "form";
    }

    @Override
    public Payload render(PeerEvent event) {
        String content = "content=" + goQueryEscape(text(event));
        return new Payload(content.getBytes(StandardCharsets.US_ASCII), CONTENT_TYPE);
    }

    /**
     * The original sent {@code url.Values.Encode()}, i.e. Go's {@code url.QueryEscape}: like
     * {@link URLEncoder} except that {@code *} is escaped and {@code ~} is not.
     */
    static String goQueryEscape(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    static String text(PeerEvent event) {
        Map<String, Object> detail = DetailValues.of(event.detail());
        if (!event.aboutPeer()) {
            return "Handshake failed on " + event.interfaceName() + " from " + detail.get("source") + ": "
                    + detail.get("initiations") + " initiations, " + detail.get("validMac1") + " with a valid MAC1, "
                    + detail.get("invalidMac1") + " invalid" + more(detail.get("summary"));
        }
        String endpoint = event.peer().endpointText() == null ? "none" : event.peer().endpointText();
        String connection = "Connection " + event.interfaceName() + ":" + event.peer().publicKey();
        return switch (event.type()) {
            case CONNECTED -> connection + " on endpoint " + endpoint + " is opened";
            case DISCONNECTED -> connection + " on endpoint " + endpoint + " is closed";
            case ROAMED -> connection + " roamed to endpoint " + endpoint;
            case ENDPOINT_CONFLICT -> connection + " is used from endpoints " + detail.get("endpoints")
                    + " at once (" + detail.get("flips") + " flips)";
            case STALE -> connection + (Boolean.TRUE.equals(detail.get("neverConnected")) ? " has never connected"
                    : " is stale: last handshake " + detail.get("lastHandshake"));
            case DOWN -> connection + " is down: no handshake since " + detail.get("lastHandshake");
            case UP -> connection + " on endpoint " + endpoint + " is up again";
            case FIRST_SEEN -> connection + " on endpoint " + endpoint + " is opened for the first time";
            case QUOTA -> connection + " used " + detail.get("usedBytes") + " bytes, " + detail.get("thresholdPercent")
                    + " % of its quota of " + detail.get("limitBytes") + " bytes";
            case HANDSHAKE_FAILED -> connection + " failed a handshake";
        };
    }

    private static String more(Object summary) {
        return summary instanceof Long count && count > 0 ? " (and " + count + " more sources)" : "";
    }
}
