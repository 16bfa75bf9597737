package io.wgmon.store;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * One session row of a page's query, read as one value: SQLite packs the row's columns into a single text
 * ({@link #PACKED}), its texts as their UTF-8 bytes. The driver's cost is per value read (a JNI call, its locks
 * and a new array each), and twelve values a row were most of the time of a peer's history page.
 * {@link #row()} makes the row of {@link SessionTable#page} from it.
 */
public final class SessionColumns {
    /** The row's texts, in the order {@link #PACKED} writes them. */
    public enum Text { ID, INTERFACE, PUBLIC_KEY, NAME, END_REASON, ENDPOINT, ENDPOINTS }

    private static final String[] TEXT_COLUMNS = {"id", "interface", "public_key", "name", "end_reason", "endpoint",
            "endpoints"};
    private static final int NUMBERS = 6;
    /**
     * The row as "rowid start open end rx tx" and each text's length in bytes (-1 for null), separated by spaces,
     * then ':' and the texts one after another (a null one as nothing). The numbers are cast to integers, as the
     * driver's getLong reads a value that is not one; the lengths make any byte in a text unambiguous.
     */
    static final String PACKED = "concat_ws(' ', rowid, CAST(start_time AS INTEGER), end_time IS NULL, "
            + "CAST(ifnull(end_time, 0) AS INTEGER), CAST(rx_bytes AS INTEGER), CAST(tx_bytes AS INTEGER), "
            + String.join(", ", Arrays.stream(TEXT_COLUMNS)
                    .map(column -> "ifnull(octet_length(" + column + "), -1)").toList())
            + ") || ':' || concat(" + String.join(", ", TEXT_COLUMNS) + ")";

    private final byte[] packed;
    private final long rowId;
    private final long startMillis;
    private final boolean ended;
    private final long endMillis;
    private final long rxBytes;
    private final long txBytes;
    /** Where each text starts in {@link #packed}, and where the last one ends. */
    private final int[] offsets;
    private final int nulls;

    private SessionColumns(byte[] packed, long[] numbers, int[] offsets, int nulls) {
        this.packed = packed;
        this.rowId = numbers[0];
        this.startMillis = numbers[1];
        this.ended = numbers[2] == 0;
        this.endMillis = numbers[3];
        this.rxBytes = numbers[4];
        this.txBytes = numbers[5];
        this.offsets = offsets;
        this.nulls = nulls;
    }

    /** The row from the text {@link #PACKED} made of it. */
    static SessionColumns parse(byte[] packed) throws SQLException {
        if (packed == null) {
            throw new SQLException("a session row read as null");
        }
        long[] numbers = new long[NUMBERS];
        int[] lengths = new int[TEXT_COLUMNS.length];
        int at = 0;
        for (int i = 0; i < NUMBERS + lengths.length; i++) {
            boolean negative = at < packed.length && packed[at] == '-';
            int first = negative ? at + 1 : at;
            long value = 0;
            at = first;
            // as a negative number, so that Long.MIN_VALUE fits
            while (at < packed.length && packed[at] >= '0' && packed[at] <= '9') {
                int digit = packed[at++] - '0';
                if (value < Long.MIN_VALUE / 10 || value * 10 < Long.MIN_VALUE + digit) {
                    throw unreadable(packed);
                }
                value = value * 10 - digit;
            }
            byte separator = i == NUMBERS + lengths.length - 1 ? (byte) ':' : (byte) ' ';
            if (at == first || at >= packed.length || packed[at] != separator || !negative && value == Long.MIN_VALUE) {
                throw unreadable(packed);
            }
            at++;
            value = negative ? value : -value;
            if (i < NUMBERS) {
                numbers[i] = value;
            } else if (value < -1 || value > packed.length) {
                throw unreadable(packed);
            } else {
                lengths[i - NUMBERS] = (int) value;
            }
        }
        int[] offsets = new int[lengths.length + 1];
        int nulls = 0;
        for (int i = 0; i < lengths.length; i++) {
            offsets[i] = at;
            if (lengths[i] < 0) {
                nulls |= 1 << i;
            } else {
                at += lengths[i];
            }
        }
        offsets[lengths.length] = at;
        if (at != packed.length) {
            throw unreadable(packed);
        }
        return new SessionColumns(packed, numbers, offsets, nulls);
    }

    private static SQLException unreadable(byte[] packed) {
        return new SQLException("a session row not in the packed form (" + packed.length + " bytes)");
    }

    public long rowId() {
        return rowId;
    }

    public long startMillis() {
        return startMillis;
    }

    /** Whether the session has ended (its end is not null). */
    public boolean ended() {
        return ended;
    }

    public long endMillis() {
        return endMillis;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long txBytes() {
        return txBytes;
    }

    /** The bytes a text lies in: {@code bytes()[from(text), to(text))}, UTF-8 as SQLite holds it. */
    public byte[] bytes() {
        return packed;
    }

    public boolean isNull(Text text) {
        return (nulls & 1 << text.ordinal()) != 0;
    }

    public int from(Text text) {
        return offsets[text.ordinal()];
    }

    public int to(Text text) {
        return offsets[text.ordinal() + 1];
    }

    /** The text as the driver's getString reads it, or null. */
    public String string(Text text) {
        return isNull(text) ? null : new String(packed, from(text), to(text) - from(text), StandardCharsets.UTF_8);
    }

    public SessionCursor position() {
        return new SessionCursor(startMillis, rowId);
    }

    public SessionRow row() {
        return new SessionRow(UUID.fromString(string(Text.ID)), string(Text.INTERFACE), string(Text.PUBLIC_KEY),
                string(Text.NAME), Instant.ofEpochMilli(startMillis), ended ? Instant.ofEpochMilli(endMillis) : null,
                string(Text.END_REASON), rxBytes, txBytes, string(Text.ENDPOINT),
                SessionTable.endpoints(string(Text.ENDPOINTS)), position());
    }
}
