package io.wgmon.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits what one read(2) of an inotify descriptor returned into events: each a
 * {@code struct inotify_event} {s32 wd, u32 mask, u32 cookie, u32 len} and {@code len} bytes of
 * NUL-padded name. The kernel only ever returns whole events; a record that does not fit ends the
 * list and is counted as malformed by the caller.
 */
public final class InotifyEventParser {
    public static final int HEADER_BYTES = 16;

    /** The events, and whether the bytes ended in the middle of one. */
    public record Events(List<InotifyEvent> events, boolean truncated) {
    }

    public static Events parse(byte[] buffer, int length) {
        ByteBuffer in = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.nativeOrder());
        List<InotifyEvent> events = new ArrayList<>();
        while (in.remaining() >= HEADER_BYTES) {
            int start = in.position();
            int watch = in.getInt();
            int mask = in.getInt();
            in.getInt(); // cookie: pairs the two halves of a rename, not needed here
            int nameLength = in.getInt();
            if (nameLength < 0 || nameLength > in.remaining()) {
                return new Events(events, true);
            }
            int end = start + HEADER_BYTES;
            int nul = end;
            while (nul < end + nameLength && buffer[nul] != 0) {
                nul++;
            }
            events.add(new InotifyEvent(watch, mask, new String(buffer, end, nul - end, StandardCharsets.UTF_8)));
            in.position(end + nameLength);
        }
        return new Events(events, in.hasRemaining());
    }

    private InotifyEventParser() {
    }
}
