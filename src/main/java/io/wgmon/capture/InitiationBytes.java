package io.wgmon.capture;

import java.util.Arrays;

/**
 * A copy of the part of a handshake initiation that its mac1 covers, and the mac1 itself: the first 132 of
 * its 148 bytes (docs/architecture.md#failed-handshakes). Only initiations carry one; every other packet
 * allocates nothing for it.
 *
 * @param bytes 132 bytes: the initiation's first 116 bytes, then its mac1; not to be changed
 */
public record InitiationBytes(byte[] bytes) {
    /** The UDP payload length of every handshake initiation. */
    public static final int INITIATION_LENGTH = 148;
    public static final int LENGTH = 132;

    public InitiationBytes {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an initiation copy has " + LENGTH + " bytes, not " + bytes.length);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InitiationBytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "InitiationBytes[" + LENGTH + " bytes]";
    }
}
