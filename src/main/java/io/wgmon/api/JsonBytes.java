package io.wgmon.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON text written into byte arrays, the bytes the API's object mapper writes for the same values (strings
 * escaped as Jackson's encoder does, times as {@link Instant#toString}): the session history's answers are
 * thousands of rows, and a String, an escaped copy and a byte array per value were most of what they allocated.
 * Text that is not plain printable ASCII goes through Jackson's encoder itself. When an array is full the next
 * one is twice its size and the text goes on there: nothing written is copied to grow.
 */
final class JsonBytes {
    private static final byte[] NULL = ascii("null");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** The last millisecond {@link Instant#toString} writes as a four-digit year (9999-12-31T23:59:59.999Z). */
    private static final long LAST_PLAIN_YEAR_MILLIS = 253_402_300_799_999L;

    /** The arrays filled before {@link #bytes}, each with the length written into it. */
    private final List<Chunk> filled = new ArrayList<>();
    private int filledLength;
    private byte[] bytes;
    private int length;
    /** The day {@link #lastDate} is the date of; none yet. */
    private int lastDays = -1;
    private byte[] lastDate;

    JsonBytes(int capacity) {
        bytes = new byte[capacity];
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    int length() {
        return filledLength + length;
    }

    void writeTo(OutputStream out) throws IOException {
        for (Chunk chunk : filled) {
            out.write(chunk.bytes(), 0, chunk.length());
        }
        out.write(bytes, 0, length);
    }

    /**
     * The bytes as a Vert.x buffer over this array, not a copy: an answer handed to the HTTP server whole is sent
     * in one write, where an {@link OutputStream} cuts it into chunks, each a copy and a task for the event loop.
     * Nothing may be written after.
     */
    Buffer buffer() {
        if (filled.isEmpty()) {
            return Buffer.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
        }
        ByteBuf[] parts = new ByteBuf[filled.size() + 1];
        for (int i = 0; i < filled.size(); i++) {
            parts[i] = Unpooled.wrappedBuffer(filled.get(i).bytes(), 0, filled.get(i).length());
        }
        parts[filled.size()] = Unpooled.wrappedBuffer(bytes, 0, length);
        return Buffer.buffer(Unpooled.wrappedBuffer(parts));
    }

    /** Forgets the text written; the last array is written into again. */
    void clear() {
        filled.clear();
        filledLength = 0;
        length = 0;
    }

    JsonBytes raw(byte[] text) {
        return raw(text, 0, text.length);
    }

    JsonBytes raw(byte[] text, int from, int to) {
        room(to - from);
        System.arraycopy(text, from, bytes, length, to - from);
        length += to - from;
        return this;
    }

    JsonBytes raw(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Text wgmon wrote itself that is ASCII: JSON punctuation, digits. */
    JsonBytes raw(String text) {
        int size = text.length();
        room(size);
        for (int i = 0; i < size; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** In int arithmetic where the value fits (C1 divides a long through a call into the VM). */
    JsonBytes number(long value) {
        if (value != (int) value || value == Integer.MIN_VALUE) {
            return longNumber(value);
        }
        int rest = (int) value;
        room(11);
        if (rest < 0) {
            bytes[length++] = '-';
            rest = -rest;
        }
        int digits = rest < 10 ? 1 : rest < 100 ? 2 : rest < 1000 ? 3 : rest < 10_000 ? 4 : rest < 100_000 ? 5
                : rest < 1_000_000 ? 6 : rest < 10_000_000 ? 7 : rest < 100_000_000 ? 8 : rest < 1_000_000_000 ? 9 : 10;
        digits(rest, digits);
        return this;
    }

    private JsonBytes longNumber(long value) {
        if (value == Long.MIN_VALUE) {
            return raw(Long.toString(value));
        }
        room(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** A JSON string, or null. */
    JsonBytes string(String text) {
        if (text == null) {
            return raw(NULL);
        }
        int size = text.length();
        for (int i = 0; i < size; i++) {
            if (!plain(text.charAt(i))) {
                return quoted(text);
            }
        }
        room(size + 2);
        bytes[length++] = '"';
        for (int i = 0; i < size; i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        bytes[length++] = '"';
        return this;
    }

    /**
     * A JSON string of {@code utf8[from, to)}, text SQLite holds as UTF-8 (decoded as the JDBC driver decodes it).
     * Each run of bytes written as they are is found first and copied as a whole: C1 compiles a loop that stores
     * a byte at a time into many times the instructions of a copy.
     */
    JsonBytes string(byte[] utf8, int from, int to) {
        room((to - from) * 6 + 2);
        int begin = length;
        bytes[length++] = '"';
        int i = from;
        while (true) {
            int run = i;
            while (run < to && plain(utf8[run])) {
                run++;
            }
            System.arraycopy(utf8, i, bytes, length, run - i);
            length += run - i;
            if (run == to) {
                break;
            }
            byte b = utf8[run];
            if (b < 0) {
                length = begin;
                return quoted(new String(utf8, from, to - from, StandardCharsets.UTF_8));
            }
            escape(b);
            i = run + 1;
        }
        bytes[length++] = '"';
        return this;
    }

    /** As {@link Instant#toString} of the millisecond, quoted. */
    JsonBytes instant(long millis) {
        if (millis < 0 || millis > LAST_PLAIN_YEAR_MILLIS) {
            return raw('"').raw(Instant.ofEpochMilli(millis).toString()).raw('"');
        }
        int days = (int) (millis / 86_400_000L);
        int inDay = (int) (millis - days * 86_400_000L);
        room(26);
        bytes[length++] = '"';
        if (days != lastDays) {
            date(days);
        }
        System.arraycopy(lastDate, 0, bytes, length, lastDate.length);
        length += lastDate.length;
        digits(inDay / 3_600_000, 2);
        bytes[length++] = ':';
        digits(inDay / 60_000 % 60, 2);
        bytes[length++] = ':';
        digits(inDay / 1000 % 60, 2);
        if (inDay % 1000 != 0) {
            bytes[length++] = '.';
            digits(inDay % 1000, 3);
        }
        bytes[length++] = 'Z';
        bytes[length++] = '"';
        return this;
    }

    /**
     * "YYYY-MM-DDT" of a day since 1970-01-01 up to 9999-12-31 into {@link #lastDate}: a page's times fall on few
     * days. In int arithmetic (C1 divides a long through a call into the VM), after H. Hinnant's civil_from_days.
     */
    private void date(int days) {
        int z = days + 719_468;
        int era = z / 146_097;
        int dayOfEra = z - era * 146_097;
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shifted = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * shifted + 2) / 5 + 1;
        int month = shifted < 10 ? shifted + 3 : shifted - 9;
        int year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        byte[] date = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T'};
        put(date, 0, year, 4);
        put(date, 5, month, 2);
        put(date, 8, day, 2);
        lastDays = days;
        lastDate = date;
    }

    private static void put(byte[] into, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The last {@code count} digits of a value that is not negative. A tenth as a multiply and a shift (exact for
     * every int that is not negative): C1 divides with an {@code idiv} instruction, many times slower.
     */
    private void digits(int value, int count) {
        for (int i = length + count - 1; i >= length; i--) {
            int tenth = (int) ((value * 0xCCCCCCCDL) >>> 35);
            bytes[i] = (byte) ('0' + value - tenth * 10);
            value = tenth;
        }
        length += count;
    }

    private JsonBytes quoted(String text) {
        raw('"');
        raw(JsonStringEncoder.getInstance().quoteAsUTF8(text));
        return raw('"');
    }

    /** Written as it is by Jackson: printable ASCII but the quote and the backslash. */
    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    /** As {@link #plain(char)}, of a byte of UTF-8 (one of a multi-byte character is negative). */
    private static boolean plain(byte b) {
        return b >= 0x20 && b != '"' && b != '\\';
    }

    /** Jackson's escapes of the ASCII it does not write as it is. */
    private void escape(byte b) {
        bytes[length++] = '\\';
        switch (b) {
            case '"', '\\' -> bytes[length++] = b;
            case '\b' -> bytes[length++] = 'b';
            case '\t' -> bytes[length++] = 't';
            case '\n' -> bytes[length++] = 'n';
            case '\f' -> bytes[length++] = 'f';
            case '\r' -> bytes[length++] = 'r';
            default -> {
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[b >> 4];
                bytes[length++] = HEX[b & 0xf];
            }
        }
    }

    /** {@code more} bytes free in {@link #bytes}, for a value written in one piece. */
    private void room(int more) {
        if (length + more > bytes.length) {
            if (length > 0) {
                filled.add(new Chunk(bytes, length));
                filledLength += length;
            }
            bytes = new byte[Math.max(bytes.length * 2, more)];
            length = 0;
        }
    }

    private record Chunk(byte[] bytes, int length) {
    }
}
