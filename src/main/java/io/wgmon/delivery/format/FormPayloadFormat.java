package io.wgmon.delivery.format;

import io.wgmon.tracking.PeerEvent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The original wgmon's body, byte for byte: {@code content=} followed by the text, form-encoded (UTF-8) as Go does,
 * {@code Connection <interface>:<public key> on endpoint <ip:port> is opened} (or {@code is closed}).
 * The original had no roaming event; {@code peer.roamed} (only sent when roaming reports are switched
 * on) becomes {@code Connection <interface>:<public key> roamed to endpoint <ip:port>}. A peer without
 * an endpoint shows {@code none}.
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
        String endpoint = event.peer().endpointText() == null ? "none" : event.peer().endpointText();
        String connection = "Connection " + event.interfaceName() + ":" + event.peer().publicKey();
        return switch (event.type()) {
            case CONNECTED -> connection + " on endpoint " + endpoint + " is opened";
            case DISCONNECTED -> connection + " on endpoint " + endpoint + " is closed";
            case ROAMED -> connection + " roamed to endpoint " + endpoint;
        };
    }
}
