package io.wgmon.wireguard.uapi;

import java.nio.charset.StandardCharsets;

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

    /** The table is indexed by a key's first four bytes, so every key must have at least four ({@link #indexable}). */
    private static final int PREFIX_LENGTH = 4;
    private static final int SLOTS = 32;

    /**
     * The keys by their first four bytes, open addressing: a line's key is found without looking
     * for its '=' first and with one comparison (finding the '=' and then comparing the text
     * before it with each key showed in the profile: docs/benchmarks.md#profiles-behind-code-choices). Only
     * last_handshake_time_sec and _nsec share their first four bytes.
     */
    private static final UapiKey[] BY_PREFIX = byPrefix();

    private final String text;
    private final byte[] ascii;
    private final int length;
    private final int prefix;

    UapiKey(String text) {
        this.text = text;
        this.ascii = indexable(text);
        this.length = ascii.length;
        this.prefix = prefix(ascii, 0);
    }

    /**
     * The key that {@code line[from, to)} starts with, followed by '=': then the key is the
     * line's (no key has a '=' in it), and its value starts at {@code from + length() + 1}. Null
     * when the line's key is one wgmon does not know, or the line has no '=' after a known key.
     */
    static UapiKey startOf(byte[] line, int from, int to) {
        if (to - from <= PREFIX_LENGTH) {
            // shorter than any key and its '='
            return null;
        }
        int prefix = prefix(line, from);
        for (int slot = slot(prefix); BY_PREFIX[slot] != null; slot = (slot + 1) % SLOTS) {
            UapiKey key = BY_PREFIX[slot];
            int equals = from + key.length;
            if (key.prefix == prefix && equals < to && line[equals] == '='
                    && Swar.equal(key.ascii, 0, line, from, key.length)) {
                return key;
            }
        }
        return null;
    }

    /**
     * A key's bytes, refused when they are fewer than the four the table is indexed by: such a key
     * would never be found by {@link #startOf} (a line of four bytes or fewer reads as unknown).
     *
     * @throws IllegalArgumentException naming the key
     */
    static byte[] indexable(String key) {
        byte[] ascii = key.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length < PREFIX_LENGTH) {
            throw new IllegalArgumentException("UAPI key \"" + key + "\" has fewer than the " + PREFIX_LENGTH
                    + " bytes UapiKey.startOf looks keys up by: it would never be found; look short keys up another way");
        }
        return ascii;
    }

    /** The key's length in bytes. */
    int length() {
        return length;
    }

    private static int prefix(byte[] bytes, int from) {
        return (bytes[from] & 0xff) | (bytes[from + 1] & 0xff) << 8 | (bytes[from + 2] & 0xff) << 16
                | (bytes[from + 3] & 0xff) << 24;
    }

    private static int slot(int prefix) {
        return (prefix * 0x9E37_79B9) >>> 27;
    }

    private static UapiKey[] byPrefix() {
        UapiKey[] table = new UapiKey[SLOTS];
        for (UapiKey key : values()) {
            int slot = slot(key.prefix);
            while (table[slot] != null) {
                slot = (slot + 1) % SLOTS;
            }
            table[slot] = key;
        }
        return table;
    }

    @Override
    public String toString() {
        return text;
    }
}
