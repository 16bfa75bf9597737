package io.wgmon.api;

import io.wgmon.store.PeerSpans;
import io.wgmon.store.SpanSeconds;
import io.wgmon.store.TimelineReader;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * The timeline of all peers in the shape of {@link SessionTimeline}, written while the store reads it: memory
 * stays a buffer and one peer's row however many peers and days the window holds. The spans arrive as numbers and
 * their digits are written straight into the buffer.
 */
final class TimelineAnswer implements StreamingOutput {
    static final String BUSY = "busy: other timelines are being read; retry in a few seconds";
    private static final int BUFFER = 64 * 1024;
    /** A peer's object seldom needs more; the buffer grows when one does. */
    private static final int PEER_ROOM = 4 * 1024;
    private static final byte[] FROM = JsonBytes.ascii("{\"from\":");
    private static final byte[] TO = JsonBytes.ascii(",\"to\":");
    private static final byte[] PEERS = JsonBytes.ascii(",\"peers\":[");
    private static final byte[] INTERFACE = JsonBytes.ascii("{\"interface\":");
    private static final byte[] PUBLIC_KEY = JsonBytes.ascii(",\"publicKey\":");
    private static final byte[] SPANS = JsonBytes.ascii(",\"spans\":");
    private static final byte[] OPEN = JsonBytes.ascii(",\"open\":{\"id\":");
    private static final byte[] START = JsonBytes.ascii(",\"start\":");
    private static final byte[] END = JsonBytes.ascii("]}");

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
        JsonBytes json = new JsonBytes(BUFFER + PEER_ROOM);
        boolean[] first = {true};
        boolean read = reader.read(from, to, interfaceName, peer -> {
            if (first[0]) {
                begin(json);
            } else {
                json.raw(',');
            }
            first[0] = false;
            write(json, peer);
            if (json.length() >= BUFFER) {
                json.writeTo(output);
                json.clear();
            }
        });
        if (!read) {
            throw new ApiError(503, BUSY);
        }
        if (first[0]) {
            begin(json);
        }
        json.raw(END);
        json.writeTo(output);
        output.flush();
    }

    private void begin(JsonBytes json) {
        json.raw(FROM).string(from.toString()).raw(TO).string(to.toString()).raw(PEERS);
    }

    private static void write(JsonBytes json, PeerSpans peer) {
        json.raw(INTERFACE).string(peer.interfaceName()).raw(PUBLIC_KEY).string(peer.publicKey()).raw(SPANS)
                .raw('[');
        SpanSeconds spans = peer.spans();
        for (int i = 0; i < spans.size(); i++) {
            if (i > 0) {
                json.raw(',');
            }
            json.number(spans.get(i));
        }
        json.raw(']');
        if (peer.openId() != null) {
            json.raw(OPEN).string(peer.openId()).raw(START).number(peer.openStart()).raw('}');
        }
        json.raw('}');
    }
}
