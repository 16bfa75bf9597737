package io.wgmon.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.store.PeerSpans;
import io.wgmon.store.TimelineReader;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * The timeline of all peers in the shape of {@link SessionTimeline}, written while the store reads it: memory
 * stays one peer's row however many peers and days the window holds.
 */
final class TimelineAnswer implements StreamingOutput {
    static final String BUSY = "busy: other timelines are being read; retry in a few seconds";

    private final JsonFactory json;
    private final TimelineReader reader;
    private final Instant from;
    private final Instant to;
    private final String interfaceName;

    TimelineAnswer(JsonFactory json, TimelineReader reader, Instant from, Instant to, String interfaceName) {
        this.json = json;
        this.reader = reader;
        this.from = from;
        this.to = to;
        this.interfaceName = interfaceName;
    }

    @Override
    public void write(OutputStream output) throws IOException {
        JsonGenerator generator = json.createGenerator(output);
        boolean[] began = {false};
        boolean read = reader.read(from, to, interfaceName, peer -> {
            if (!began[0]) {
                begin(generator);
                began[0] = true;
            }
            write(generator, peer);
        });
        if (!read) {
            throw new ApiError(503, BUSY);
        }
        if (!began[0]) {
            begin(generator);
        }
        generator.writeEndArray();
        generator.writeEndObject();
        generator.close();
    }

    private void begin(JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("from", from.toString());
        generator.writeStringField("to", to.toString());
        generator.writeArrayFieldStart("peers");
    }

    private static void write(JsonGenerator generator, PeerSpans peer) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("interface", peer.interfaceName());
        generator.writeStringField("publicKey", peer.publicKey());
        generator.writeFieldName("spans");
        generator.writeRawValue(peer.spans());
        if (peer.openId() != null) {
            generator.writeObjectFieldStart("open");
            generator.writeStringField("id", peer.openId());
            generator.writeNumberField("start", peer.openStart());
            generator.writeEndObject();
        }
        generator.writeEndObject();
    }
}
