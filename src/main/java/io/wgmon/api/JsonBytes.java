package io.wgmon.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * JSON text written into one growing byte array, the bytes the API's object mapper writes for the same values
 * (strings escaped as Jackson's encoder does, times as {@link Instant#toString}): the session history's answers
 * are thousands of rows, and a String, an escaped copy and a byte array per value were most of what they
 * allocated. Text that is not plain printable ASCII goes through Jackson's encoder itself.
 */
final class JsonBytes {
    private static final byte[] NULL = ascii("null");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** The last millisecond {@link Instant#toString} writes as a four-digit year (9999-12-31T23:59:59.999Z). */
    private static final long LAST_PLAIN_YEAR_MILLIS = 253_402_300_799_999L;

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
        return length;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    void clear() {
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

    /** A JSON string of {@code utf8[from, to)}, text SQLite holds as UTF-8 (decoded as the JDBC driver decodes it). */
    JsonBytes string(byte[] utf8, int from, int to) {
        room((to - from) * 6 + 2);
        int begin = length;
        bytes[length++] = '"';
        for (int i = from; i < to; i++) {
            byte b = utf8[i];
            if (plain((char) b)) {
                bytes[length++] = b;
            } else if (b < 0) {
                length = begin;
                return quoted(new String(utf8, from, to - from, StandardCharsets.UTF_8));
            } else {
                escape(b);
            }
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

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
