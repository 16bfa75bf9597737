package io.wgmon.wireguard.uapi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The keys of a UAPI {@code get=1} reply that wgmon understands. */
enum UapiKey {
    PRIVATE_KEY("private_key"),
    LISTEN_PORT("listen_port"),
    FWMARK("fwmark"),
    PUBLIC_KEY("public_key"),
    PRESHARED_KEY("preshared_key"),
    PROTOCOL_VERSION("protocol_version"),
    ENDPOINT("endpoint"),
    LAST_HANDSHAKE_TIME_SEC("last_handshake_time_sec"),
    LAST_HANDSHAKE_TIME_NSEC("last_handshake_time_nsec"),
    TX_BYTES("tx_bytes"),
    RX_BYTES("rx_bytes"),
    PERSISTENT_KEEPALIVE_INTERVAL("persistent_keepalive_interval"),
    ALLOWED_IP("allowed_ip"),
    ERRNO("errno");

    private static final List<UapiKey> ALL = List.of(values());

    private final String text;
    private final byte[] ascii;

    UapiKey(String text) {
        this.text = text;
        this.ascii = text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The key spelled by {@code bytes[from, to)}, or null for a key wgmon does not know. */
    static UapiKey find(byte[] bytes, int from, int to) {
        for (int i = 0; i < ALL.size(); i++) {
            UapiKey key = ALL.get(i);
            if (Arrays.equals(key.ascii, 0, key.ascii.length, bytes, from, to)) {
                return key;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
