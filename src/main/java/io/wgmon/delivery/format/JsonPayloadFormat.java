package io.wgmon.delivery.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.tracking.PeerEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The event of docs/architecture.md#events as compact UTF-8 JSON, members always in this order:
 * {@code id, event, time, host, interface, peer{publicKey, name, endpoint, allowedIps, lastHandshake,
 * rxBytes, txBytes}}, and for {@code peer.disconnected} then {@code reason, connectedSeconds} at the end.
 * {@code time} has millisecond precision, {@code lastHandshake} second precision (null when the peer
 * never completed a handshake), both UTC with a {@code Z}; {@code name} and {@code endpoint} are null
 * when unknown. {@code peer.roamed} has the same members as {@code peer.connected}, with the new endpoint.
 */
public final class JsonPayloadFormat implements PayloadFormat {
    public static final String CONTENT_TYPE = "application/json";

    private final JsonFactory factory = new JsonFactory();

    @Override
    public String name() {
        return "json";
    }

    @Override
    public Payload render(PeerEvent event) {
        return new Payload(toJson(event), CONTENT_TYPE);
    }

    /** The same bytes as {@link #render}, as a string (for the log line when no receiver is configured). */
    public String renderText(PeerEvent event) {
        return new String(toJson(event), StandardCharsets.UTF_8);
    }

    private byte[] toJson(PeerEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = factory.createGenerator(out)) {
            EventJsonWriter.write(json, event);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
