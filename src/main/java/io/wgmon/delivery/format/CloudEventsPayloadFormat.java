package io.wgmon.delivery.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.tracking.PeerEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * CloudEvents 1.0 structured-mode JSON: {@code specversion "1.0"}, {@code type "io.wgmon.peer.connected"}
 * (and {@code io.wgmon.<type>} for every other type), {@code source "wgmon://<host>/<interface>"} (each part
 * percent-encoded), {@code subject} the peer's public key (for {@code handshake.failed} the source "ip:port"), {@code id} the delivery id, {@code time},
 * {@code datacontenttype "application/json"} and {@code data} the complete {@link JsonPayloadFormat} object.
 */
public final class CloudEventsPayloadFormat implements PayloadFormat {
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private final JsonFactory factory = new JsonFactory();

    @Override
    public String name() {
        return "cloudevents";
    }

    @Override
    public Payload render(PeerEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(768);
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("specversion", "1.0");
            json.writeStringField("type", "io.wgmon." + event.type().wireName());
            json.writeStringField("source", source(event));
            json.writeStringField("subject", subject(event));
            json.writeStringField("id", event.id().toString());
            json.writeStringField("time", WireTimes.withMillis(event.time()));
            json.writeStringField("datacontenttype", JsonPayloadFormat.CONTENT_TYPE);
            json.writeFieldName("data");
            EventJsonWriter.write(json, event);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return new Payload(out.toByteArray(), CONTENT_TYPE);
    }

    /** The peer's public key; for a source event the source address. */
    private static String subject(PeerEvent event) {
        if (event.aboutPeer()) {
            return event.publicKey();
        }
        Object source = DetailValues.of(event.detail()).get("source");
        return source == null ? null : source.toString();
    }

    private static String source(PeerEvent event) {
        String host = event.host() == null ? "unknown" : event.host();
        return "wgmon://" + encode(host) + "/" + encode(event.interfaceName());
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
