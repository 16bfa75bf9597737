package io.wgmon.wireguard.uapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapiKeyTest {
    @Test
    void everyKeyIsFoundAtTheStartOfItsLine() {
        for (UapiKey key : UapiKey.values()) {
            for (String value : new String[] {"", "1", "=", "0123456789abcdef0123456789abcdef"}) {
                assertEquals(key, startOf(key + "=" + value), key + "=" + value);
            }
            assertEquals(key.toString().length(), key.length());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "last_handshake_time_se=1", // a prefix of last_handshake_time_sec
            "last_handshake_time_secs=1", // last_handshake_time_sec is a prefix of it
            "last_handshake_time_nse=1",
            "public_keys=1",
            "public_ke=1",
            "tx_bytes_total=1",
            "errnos=0",
            "err=0",
            "errno", // no '=' at all
            "errno0",
            "listen_port:1",
            "Listen_port=1",
            "listen_porT=1",
            "fwmarx=1",
            "private_key_2=1",
            "pres=1",
            "", "e", "er", "err", "errn",
            "=1"})
    void aLineWhoseKeyIsNotExactlyAKnownOneHasNone(String line) {
        assertNull(startOf(line), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mtu", "id", "x", ""})
    void aKeyTooShortForTheTableIsRefusedLoudly(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UapiKey.indexable(key));

        assertTrue(e.getMessage().contains("\"" + key + "\"") && e.getMessage().contains("would never be found"),
                e.getMessage());
    }

    @Test
    void aKeyOfFourBytesIsIndexable() {
        assertEquals(4, UapiKey.indexable("port").length);
    }

    @Test
    void onlyTheLineIsRead() {
        byte[] bytes = "fwmark=1\nerrno=0\n".getBytes(StandardCharsets.US_ASCII);
        assertNull(UapiKey.startOf(bytes, 9, 14), "\"errno\" with its '=' past the line's end");
        assertEquals(UapiKey.ERRNO, UapiKey.startOf(bytes, 9, 15));
        assertNull(UapiKey.startOf(bytes, 0, 6), "\"fwmark\" with its '=' past the line's end");
    }

    private static UapiKey startOf(String line) {
        byte[] bytes = ("x" + line + "\nyyyyyyyy").getBytes(StandardCharsets.US_ASCII);
        return UapiKey.startOf(bytes, 1, 1 + line.length());
    }
}
