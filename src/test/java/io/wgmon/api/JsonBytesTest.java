package io.wgmon.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonBytesTest {

    @Test
    void aNumberIsItsDecimalTextAtEveryLengthAndBothEndsOfIntAndLong() throws IOException {
        List<Long> values = new ArrayList<>(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
                (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, Integer.MIN_VALUE - 1L, Integer.MAX_VALUE + 1L));
        for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            values.addAll(List.of(power, power - 1, power + 1, -power, -power + 1, -power - 1, power * 10 - 1));
        }
        Random random = new Random(22);
        for (int i = 0; i < 10_000; i++) {
            values.add(i % 2 == 0 ? random.nextInt() : random.nextLong() >> random.nextInt(64));
        }
        JsonBytes json = new JsonBytes(4);
        StringBuilder expected = new StringBuilder();
        for (long value : values) {
            json.number(value).raw(',');
            expected.append(value).append(',');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeTo(out);
        assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void anInstantIsItsIsoTextAtEveryDayAndMillisecondAndBeyondTheFourDigitYears() throws IOException {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, 999L, 1000L, 86_399_999L, 86_400_000L, -1L, -86_400_001L,
                951_782_400_000L, 253_402_300_799_999L, 253_402_300_800_000L, Long.MAX_VALUE, Long.MIN_VALUE));
        Random random = new Random(22);
        long day = 1_764_547_200_000L;
        for (int i = 0; i < 10_000; i++) {
            // runs of times on one day, as a page has them, and days anywhere in the four-digit years
            values.add(i % 3 == 0 ? Math.floorMod(random.nextLong(), 253_402_300_800_000L) : day + random.nextInt(86_400_000));
            if (i % 20 == 0) {
                day += 86_400_000L * (1 + random.nextInt(400));
            }
        }
        JsonBytes json = new JsonBytes(4);
        StringBuilder expected = new StringBuilder();
        for (long value : values) {
            json.instant(value).raw(',');
            expected.append('"').append(Instant.ofEpochMilli(value)).append("\",");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeTo(out);
        assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aStringOfUtf8BytesIsWhatJacksonWritesForItsText() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = List.of("", "plain", "q\"uote\\ /", "\u0000\u0001\u001f\t\n\b\f\r\u007f",
                "ascii then \u00e9", "\u00e9 first", "a\ud83d\ude00b", "tab\tthen \u2028");
        for (String text : texts) {
            byte[] utf8 = ("<" + text + ">").getBytes(StandardCharsets.UTF_8);
            JsonBytes json = new JsonBytes(2);
            json.raw('[').string(utf8, 1, utf8.length - 1).raw(']');
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.writeTo(out);
            assertEquals(mapper.writeValueAsString(List.of(text)), out.toString(StandardCharsets.UTF_8), text);
        }
    }

    @Test
    void theBufferHoldsTheBytesWrittenAcrossItsArraysAndNotTheRoomBeyondThem() throws IOException {
        JsonBytes small = new JsonBytes(64);
        small.raw('[').number(22).raw(',').string("wg0").raw(']');
        assertEquals("[22,\"wg0\"]", small.buffer().toString(StandardCharsets.US_ASCII));

        JsonBytes json = new JsonBytes(16);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            byte[] text = ("peer-" + i + (i % 7 == 0 ? "\"" : "")).getBytes(StandardCharsets.UTF_8);
            json.string(text, 0, text.length).raw(',').number(i * 1_000_003L).raw(';');
            expected.append('"').append("peer-").append(i).append(i % 7 == 0 ? "\\\"" : "").append("\",")
                    .append(i * 1_000_003L).append(';');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeTo(out);
        assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII));
        assertEquals(expected.length(), json.length());
        assertEquals(expected.toString(), json.buffer().toString(StandardCharsets.US_ASCII));
    }
}
