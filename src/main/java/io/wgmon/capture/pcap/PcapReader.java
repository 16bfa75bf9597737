package io.wgmon.trigger;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The body of the pcap reader thread: wait, read what is waiting, parse, emit, check the drop
 * counter, until the capture is closed. Nothing escapes it: drops become {@link PacketsLost},
 * unusable frames are counted and skipped, read errors are counted, logged and followed by a
 * growing pause, and so are long runs of wake-ups that yield nothing, so it never spins.
 */
final class PcapReaderLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(PcapReaderLoop.class);

    /** Frames read per wake-up before the drop counter is looked at again. */
    static final int MAX_FRAMES_PER_WAKEUP = 256;
    /** Consecutive wake-ups without a frame after which the loop pauses (a descriptor stuck readable). */
    static final int EMPTY_WAKEUPS_BEFORE_PAUSE = 1000;

    private final Capture capture;
    private final PcapPacketParser parser;
    private final PacketEmitter emitter;
    private final PacketSourceMetrics metrics;
    private final Clock clock;
    private final ReaderRecovery recovery;
    private final String description;
    private long dropsSeen;
    private int emptyWakeups;

    /** @param dropsAtStart the capture's drop counter when it started, so earlier drops are not reported */
    PcapReaderLoop(Capture capture, long dropsAtStart, PcapPacketParser parser, Consumer<PacketEvent> emitter,
                   PacketSourceMetrics metrics, Clock clock, Backoff backoff, ReaderPause pause,
                   String description) {
        this.capture = capture;
        this.dropsSeen = dropsAtStart;
        this.parser = parser;
        this.emitter = new PacketEmitter(emitter, LOG, description);
        this.metrics = metrics;
        this.clock = clock;
        this.recovery = new ReaderRecovery(metrics, backoff, pause, LOG, description);
        this.description = description;
    }

    @Override
    public void run() {
        while (true) {
            try {
                capture.awaitFrames();
                int frames = readWaitingFrames();
                reportDrops();
                if (frames > 0) {
                    emptyWakeups = 0;
                    recovery.succeeded();
                } else if (++emptyWakeups >= EMPTY_WAKEUPS_BEFORE_PAUSE && !pauseAfterEmptyWakeups()) {
                    return;
                }
            } catch (CaptureClosedException closed) {
                LOG.debugf("%s: capture closed, reader ends", description);
                return;
            } catch (CaptureException e) {
                if (!recovery.retryAfter(e.getMessage())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!recovery.retryAfterUnexpected(e)) {
                    return;
                }
            }
        }
    }

    private int readWaitingFrames() {
        int frames = 0;
        while (frames < MAX_FRAMES_PER_WAKEUP) {
            CapturedFrame frame = capture.next();
            if (frame == null) {
                break;
            }
            frames++;
            handle(frame);
        }
        return frames;
    }

    private void handle(CapturedFrame frame) {
        try {
            WireGuardPacket packet = parser.parse(frame);
            metrics.packet();
            emitter.emit(packet);
        } catch (PacketRejectedException e) {
            metrics.malformed(e.reason());
            LOG.debugf("%s: skipped a frame (%s): %s", description, e.reason(), e.getMessage());
        }
    }

    private void reportDrops() {
        long drops = capture.drops();
        long lost = (drops - dropsSeen) & 0xffff_ffffL;
        dropsSeen = drops;
        if (lost > 0) {
            metrics.lost();
            LOG.warnf("%s: the capture buffer was full, %d packets were dropped", description, lost);
            emitter.emit(new PacketsLost(clock.instant()));
        }
    }

    private boolean pauseAfterEmptyWakeups() {
        emptyWakeups = 0;
        return recovery.pauseAfter(delayMillis ->
                EMPTY_WAKEUPS_BEFORE_PAUSE + " wake-ups in a row brought no packet; pausing " + delayMillis + " ms");
    }
}
