package io.wgmon.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
}
