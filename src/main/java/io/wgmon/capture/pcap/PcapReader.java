package io.wgmon.capture.pcap;

import io.wgmon.capture.PacketReader;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The pcap way of reading for the shared reader loop: poll the capture, read the frames that
 * are waiting, at most a batch, then look at the capture's drop counter.
 */
final class PcapReader implements PacketReader<CapturedFrame> {
    /** Frames read per wake-up before the drop counter is looked at again. */
    static final int MAX_FRAMES_PER_WAKEUP = 256;

    private final Capture capture;
    private long dropsSeen;

    /** @param dropsAtStart the capture's drop counter when it started, so earlier drops are not reported */
    PcapReader(Capture capture, long dropsAtStart) {
        this.capture = capture;
        this.dropsSeen = dropsAtStart;
    }

    @Override
    public void awaitReadable() {
        capture.awaitFrames();
    }

    @Override
    public int readWaiting(Consumer<CapturedFrame> items) {
        int frames = 0;
        while (frames < MAX_FRAMES_PER_WAKEUP) {
            CapturedFrame frame = capture.next();
            if (frame == null) {
                break;
            }
            frames++;
            items.accept(frame);
        }
        return frames;
    }

    /** ps_drop is an unsigned 32-bit counter that may wrap. */
    @Override
    public Optional<String> lossesSinceLastLook() {
        long drops = capture.drops();
        long lost = (drops - dropsSeen) & 0xffff_ffffL;
        dropsSeen = drops;
        return lost > 0
                ? Optional.of("the capture buffer was full, " + lost + " packets were dropped")
                : Optional.empty();
    }
}
