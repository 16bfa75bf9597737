package io.wgmon.webhook;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The spool's record framing: {@code u32 payload length, u32 CRC32 of the payload, payload}, big-endian.
 * Reading stops at the first frame whose length runs past the end or is implausible (a torn tail, from a
 * crash mid-write, or garbage); a frame that fits but fails its CRC is skipped and reading goes on.
 */
final class SpoolFrames {
    static final int HEADER = 8;
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    /**
     * @param frames      the good frames in file order
     * @param corrupt     frames skipped for a CRC mismatch
     * @param validLength end of the last good frame; everything after it is damage
     * @param length      the file's length
     */
    record Scan(List<byte[]> frames, int corrupt, long validLength, long length) {
        boolean damaged() {
            return corrupt > 0 || validLength != length;
        }
    }

    private SpoolFrames() {
    }

    static ByteBuffer frame(byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("spool payload of " + payload.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length);
        buffer.putInt(payload.length).putInt((int) crc(payload)).put(payload).flip();
        return buffer;
    }

    static int frameSize(int payloadLength) {
        return HEADER + payloadLength;
    }

    static Scan read(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file);
        List<byte[]> frames = new ArrayList<>();
        int corrupt = 0;
        long validLength = 0;
        while (in.remaining() >= HEADER) {
            int length = in.getInt();
            int crc = in.getInt();
            if (length <= 0 || length > MAX_PAYLOAD || length > in.remaining()) {
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            if ((int) crc(payload) == crc) {
                frames.add(payload);
                validLength = in.position();
            } else {
                corrupt++;
            }
        }
        return new Scan(frames, corrupt, validLength, file.length);
    }

    private static long crc(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return crc.getValue();
    }
}
