package io.wgmon.api;

import io.wgmon.store.SessionColumns;
import io.wgmon.store.SessionColumns.Text;
import io.wgmon.store.SessionColumnsSink;
import io.wgmon.store.SessionRow;
import io.wgmon.tracking.PeerState;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A page of sessions as the JSON the API's object mapper writes for {@link SessionList} (the same bytes: fields in
 * the records' order, nulls written, times as ISO-8601 text, strings escaped as Jackson's encoder does), written
 * from the store's columns as the page's query reads them, into one byte array: a peer's whole history is
 * thousands of sessions, and the objects of a row on its way out (the row's strings, instants and endpoints, its
 * {@link SessionView}, the mapper's work over each record) were most of a page's time and allocations. An open
 * session (its duration runs to now, its bytes come from the tracker) goes through {@link SessionView}, as before.
 */
final class SessionJson implements SessionColumnsSink {
    private static final int ROW_BYTES = 512;
    private static final byte[] BEGIN = JsonBytes.ascii("{\"sessions\":[");
    private static final byte[] ID = JsonBytes.ascii("{\"id\":");
    private static final byte[] INTERFACE = JsonBytes.ascii(",\"interface\":");
    private static final byte[] PUBLIC_KEY = JsonBytes.ascii(",\"publicKey\":");
    private static final byte[] NAME = JsonBytes.ascii(",\"name\":");
    private static final byte[] START = JsonBytes.ascii(",\"start\":");
    private static final byte[] END = JsonBytes.ascii(",\"end\":");
    private static final byte[] DURATION = JsonBytes.ascii(",\"durationSeconds\":");
    private static final byte[] END_REASON = JsonBytes.ascii(",\"endReason\":");
    private static final byte[] RX = JsonBytes.ascii(",\"rxBytes\":");
    private static final byte[] TX = JsonBytes.ascii(",\"txBytes\":");
    private static final byte[] ENDPOINT = JsonBytes.ascii(",\"endpoint\":");
    private static final byte[] ENDPOINTS = JsonBytes.ascii(",\"endpoints\":[");
    private static final byte[] TIME = JsonBytes.ascii("{\"time\":");
    private static final byte[] COMMA_TIME = JsonBytes.ascii(",{\"time\":");
    private static final byte[] NULL = JsonBytes.ascii("null");
    private static final byte[] NEXT = JsonBytes.ascii("],\"next\":");

    private final JsonBytes json;
    private final int limit;
    private final Map<UUID, PeerState> live;
    private final Instant now;
    private int rows;
    private String next;

    /** @param live the tracker's state by the id of each session it holds */
    SessionJson(int limit, Map<UUID, PeerState> live, Instant now) {
        this.json = new JsonBytes(Math.min(limit + 1, 64) * ROW_BYTES);
        this.limit = limit;
        this.live = live;
        this.now = now;
        json.raw(BEGIN);
    }

    /** Takes up to {@code limit} rows, and one more that tells there is a next page. */
    @Override
    public void accept(SessionColumns row) {
        rows++;
        if (rows > limit) {
            return;
        }
        if (rows > 1) {
            json.raw(',');
        }
        if (row.ended()) {
            ended(row);
        } else {
            SessionRow open = row.row();
            view(SessionView.of(open, live.get(open.id()), now));
        }
        if (rows == limit) {
            next = row.position().text();
        }
    }

    /** The page, complete, once every row is taken. */
    JsonBytes page() {
        json.raw(NEXT).string(rows > limit ? next : null).raw('}');
        return json;
    }

    private void ended(SessionColumns row) {
        long start = row.startMillis();
        long end = row.endMillis();
        json.raw(ID);
        uuid(row);
        json.raw(INTERFACE);
        text(row, Text.INTERFACE).raw(PUBLIC_KEY);
        text(row, Text.PUBLIC_KEY).raw(NAME);
        text(row, Text.NAME)
                .raw(START).instant(start).raw(END).instant(end)
                .raw(DURATION).number(Math.max(0, Math.floorDiv(end - start, 1000)))
                .raw(END_REASON);
        text(row, Text.END_REASON).raw(RX).number(row.rxBytes()).raw(TX).number(row.txBytes())
                .raw(ENDPOINT);
        text(row, Text.ENDPOINT).raw(ENDPOINTS);
        if (!row.isNull(Text.ENDPOINTS)) {
            endpoints(row.bytes(), row.from(Text.ENDPOINTS), row.to(Text.ENDPOINTS));
        }
        json.raw(']').raw('}');
    }

    /** A JSON string of the row's text, or null. */
    private JsonBytes text(SessionColumns row, Text text) {
        return row.isNull(text) ? json.raw(NULL) : json.string(row.bytes(), row.from(text), row.to(text));
    }

    /**
     * As {@code SessionTable.endpoints} reads the pairs in {@code text[from, to)}: one without a space after its
     * time, or a bad time, left out.
     */
    private void endpoints(byte[] text, int from, int to) {
        boolean first = true;
        int pair = from;
        while (pair < to) {
            int stop = pair;
            while (stop < to && text[stop] != ';') {
                stop++;
            }
            int space = pair;
            while (space < stop && text[space] != ' ') {
                space++;
            }
            if (space > pair && space < stop) {
                Long time = millis(text, pair, space);
                if (time != null) {
                    json.raw(first ? TIME : COMMA_TIME).instant(time).raw(ENDPOINT).string(text, space + 1, stop)
                            .raw('}');
                    first = false;
                }
            }
            pair = stop + 1;
        }
    }

    /** {@link Long#parseLong} of the bytes, or null where it throws. */
    private static Long millis(byte[] text, int from, int to) {
        if (to - from <= 18) {
            long value = 0;
            int i = from;
            for (; i < to && text[i] >= '0' && text[i] <= '9'; i++) {
                value = value * 10 + text[i] - '0';
            }
            if (i == to) {
                return value;
            }
        }
        try {
            return Long.parseLong(new String(text, from, to - from, StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The id as {@link UUID#toString} writes the UUID it parses to: as it is when it is already that text. */
    private void uuid(SessionColumns row) {
        if (canonical(row.bytes(), row.from(Text.ID), row.to(Text.ID))) {
            json.raw('"').raw(row.bytes(), row.from(Text.ID), row.to(Text.ID)).raw('"');
        } else {
            json.string(UUID.fromString(row.string(Text.ID)).toString());
        }
    }

    private static boolean canonical(byte[] text, int from, int to) {
        return to - from == 36 && text[from + 8] == '-' && text[from + 13] == '-' && text[from + 18] == '-'
                && text[from + 23] == '-' && lowerHex(text, from, from + 8) && lowerHex(text, from + 9, from + 13)
                && lowerHex(text, from + 14, from + 18) && lowerHex(text, from + 19, from + 23)
                && lowerHex(text, from + 24, to);
    }

    private static boolean lowerHex(byte[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = text[i];
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private void view(SessionView session) {
        json.raw(ID);
        if (session.id() == null) {
            json.raw(NULL);
        } else {
            json.string(session.id().toString());
        }
        json.raw(INTERFACE).string(session.interfaceName()).raw(PUBLIC_KEY).string(session.publicKey())
                .raw(NAME).string(session.name())
                .raw(START);
        instant(session.start());
        json.raw(END);
        instant(session.end());
        json.raw(DURATION).number(session.durationSeconds())
                .raw(END_REASON).string(session.endReason())
                .raw(RX).number(session.rxBytes()).raw(TX).number(session.txBytes())
                .raw(ENDPOINT).string(session.endpoint())
                .raw(ENDPOINTS);
        boolean first = true;
        for (SessionView.EndpointView endpoint : session.endpoints()) {
            json.raw(first ? TIME : COMMA_TIME);
            first = false;
            instant(endpoint.time());
            json.raw(ENDPOINT).string(endpoint.endpoint()).raw('}');
        }
        json.raw(']').raw('}');
    }

    private void instant(Instant time) {
        if (time == null) {
            json.raw(NULL);
        } else {
            json.raw('"').raw(time.toString()).raw('"');
        }
    }
}
