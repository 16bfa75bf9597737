package io.wgmon.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.wgmon.store.PeerSpans;
import io.wgmon.store.TimelineReader;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The timeline of all peers in the shape of {@link SessionTimeline}, written while the store reads it: memory
 * stays one peer's row however many peers and days the window holds. The spans arrive as JSON text and are
 * copied as they are.
 */
final class TimelineAnswer implements StreamingOutput {
    static final String BUSY = "busy: other timelines are being read; retry in a few seconds";
    private static final int BUFFER = 64 * 1024;

    private final TimelineReader reader;
    private final Instant from;
    private final Instant to;
    private final String interfaceName;

    TimelineAnswer(TimelineReader reader, Instant from, Instant to, String interfaceName) {
        this.reader = reader;
        this.from = from;
        this.to = to;
        this.interfaceName = interfaceName;
    }

    @Override
    public void write(OutputStream output) throws IOException {
        OutputStream out = new BufferedOutputStream(output, BUFFER);
        boolean[] first = {true};
        boolean read = reader.read(from, to, interfaceName, peer -> {
            if (first[0]) {
                begin(out);
            } else {
                out.write(',');
            }
            first[0] = false;
            write(out, peer);
        });
        if (!read) {
            throw new ApiError(503, BUSY);
        }
        if (first[0]) {
            begin(out);
        }
        ascii(out, "]}");
        out.flush();
    }

    private void begin(OutputStream out) throws IOException {
        ascii(out, "{\"from\":");
        string(out, from.toString());
        ascii(out, ",\"to\":");
        string(out, to.toString());
        ascii(out, ",\"peers\":[");
    }

    private static void write(OutputStream out, PeerSpans peer) throws IOException {
        ascii(out, "{\"interface\":");
        string(out, peer.interfaceName());
        ascii(out, ",\"publicKey\":");
        string(out, peer.publicKey());
        ascii(out, ",\"spans\":");
        ascii(out, peer.spans());
        if (peer.openId() != null) {
            ascii(out, ",\"open\":{\"id\":");
            string(out, peer.openId());
            ascii(out, ",\"start\":" + peer.openStart() + "}");
        }
        out.write('}');
    }

    private static void string(OutputStream out, String text) throws IOException {
        out.write('"');
        out.write(JsonStringEncoder.getInstance().quoteAsUTF8(text));
        out.write('"');
    }

    /** Text wgmon wrote itself: JSON punctuation and SQLite's digits, commas and brackets. */
    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
