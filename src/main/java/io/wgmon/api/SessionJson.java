package io.wgmon.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A page of sessions as the JSON the API's object mapper writes for {@link SessionList}, written field by field: a
 * peer's whole history is thousands of sessions, and the mapper's work over each record was nearly half a page's
 * time. The same bytes: fields in the records' order, nulls written, times as ISO-8601 text, strings escaped by
 * Jackson's own encoder. Written out as it goes: the text is never whole in memory.
 */
final class SessionJson {
    private static final int BUFFER = 16 * 1024;

    private final OutputStream out;

    private SessionJson(OutputStream out) {
        this.out = out;
    }

    static void write(SessionList list, OutputStream output) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(output, BUFFER);
        SessionJson json = new SessionJson(buffered);
        json.ascii("{\"sessions\":[");
        boolean first = true;
        for (SessionView session : list.sessions()) {
            if (!first) {
                json.out.write(',');
            }
            first = false;
            json.session(session);
        }
        json.ascii("],\"next\":");
        json.string(list.next());
        json.out.write('}');
        buffered.flush();
    }

    private void session(SessionView session) throws IOException {
        ascii("{\"id\":");
        uuid(session.id());
        ascii(",\"interface\":");
        string(session.interfaceName());
        ascii(",\"publicKey\":");
        string(session.publicKey());
        ascii(",\"name\":");
        string(session.name());
        ascii(",\"start\":");
        instant(session.start());
        ascii(",\"end\":");
        instant(session.end());
        ascii(",\"durationSeconds\":");
        ascii(Long.toString(session.durationSeconds()));
        ascii(",\"endReason\":");
        string(session.endReason());
        ascii(",\"rxBytes\":");
        ascii(Long.toString(session.rxBytes()));
        ascii(",\"txBytes\":");
        ascii(Long.toString(session.txBytes()));
        ascii(",\"endpoint\":");
        string(session.endpoint());
        ascii(",\"endpoints\":[");
        boolean first = true;
        for (SessionView.EndpointView endpoint : session.endpoints()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            ascii("{\"time\":");
            instant(endpoint.time());
            ascii(",\"endpoint\":");
            string(endpoint.endpoint());
            out.write('}');
        }
        ascii("]}");
    }

    private void uuid(UUID id) throws IOException {
        if (id == null) {
            ascii("null");
        } else {
            out.write('"');
            ascii(id.toString());
            out.write('"');
        }
    }

    private void instant(Instant time) throws IOException {
        if (time == null) {
            ascii("null");
        } else {
            out.write('"');
            ascii(time.toString());
            out.write('"');
        }
    }

    private void string(String text) throws IOException {
        if (text == null) {
            ascii("null");
        } else {
            out.write('"');
            out.write(JsonStringEncoder.getInstance().quoteAsUTF8(text));
            out.write('"');
        }
    }

    private void ascii(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
