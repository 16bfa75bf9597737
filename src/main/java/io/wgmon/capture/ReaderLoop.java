package io.wgmon.capture;

import io.wgmon.timing.Backoff;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The body of every packet source's reader thread (docs/architecture.md#capture): wait, read what is
 * waiting, parse, emit, count, until the source is closed. Nothing escapes it:
 * <ul>
 * <li>losses the reader reports become one {@link PacketsLost} each time, and a warning at most once a
 *     minute ({@link LossWarnings});
 * <li>unusable items are counted by reason and skipped;
 * <li>read errors, unexpected exceptions and long runs of wake-ups that bring nothing are
 *     counted, logged and followed by a pause that grows with each failure in a row (a read
 *     that brings data starts the count again), so a persistent fault never makes it spin;
 * <li>a subscriber that throws is logged and does not end the reader.
 * </ul>
 * A pause cut short because the source is stopping ends the loop.
 *
 * @param <F> what the source's reader yields and its parser reads
 */
public final class ReaderLoop<F> implements Runnable {
    private static final Logger LOG = Logger.getLogger(ReaderLoop.class);

    /** Wake-ups in a row that bring nothing after which the loop pauses (a descriptor stuck readable). */
    public static final int EMPTY_WAKEUPS_BEFORE_PAUSE = 1000;

    /** Waits for the given time; false when the source is stopping and the loop should end. */
    @FunctionalInterface
    public interface Pause {
        boolean await(Duration delay);
    }

    private final PacketReader<F> reader;
    private final PacketParser<F> parser;
    private final Consumer<PacketEvent> subscribers;
    private final PacketSourceMetrics metrics;
    private final Clock clock;
    private final Backoff backoff;
    private final Pause pause;
    private final String description;
    private final LossWarnings lossWarnings = new LossWarnings();
    /** Made once: a method reference made per round is an object per packet (through the VM, under C1). */
    private final Consumer<F> handler = this::handle;
    private int failuresInARow;
    private int emptyWakeups;

    /** The pauses of every source's loop: 100 ms doubling up to 5 s, with jitter. */
    public static Backoff readerBackoff() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random());
    }

    public ReaderLoop(PacketReader<F> reader, PacketParser<F> parser, Consumer<PacketEvent> subscribers,
                      PacketSourceMetrics metrics, Clock clock, Backoff backoff, Pause pause, String description) {
        this.reader = reader;
        this.parser = parser;
        this.subscribers = subscribers;
        this.metrics = metrics;
        this.clock = clock;
        this.backoff = backoff;
        this.pause = pause;
        this.description = description;
    }

    @Override
    public void run() {
        boolean running = true;
        while (running) {
            try {
                running = round();
            } catch (CaptureClosedException closed) {
                LOG.debugf("%s: closed, reader ends", description);
                running = false;
            } catch (CaptureException e) {
                running = pauseAfterFailure(e.getMessage());
            } catch (PacketRejectedException e) {
                skipped(e);
            } catch (RuntimeException e) {
                metrics.error();
                LOG.errorf(e, "%s: unexpected error in the reader", description);
                running = pause.await(backoff.delay(++failuresInARow));
            }
        }
    }

    /** @return false when the loop should end */
    private boolean round() {
        reader.awaitReadable();
        int reads = reader.readWaiting(handler);
        reader.lossesSinceLastLook().ifPresent(this::lost);
        if (reads > 0) {
            failuresInARow = 0;
            emptyWakeups = 0;
            return true;
        }
        if (++emptyWakeups < EMPTY_WAKEUPS_BEFORE_PAUSE) {
            return true;
        }
        emptyWakeups = 0;
        return pauseAfterFailure(EMPTY_WAKEUPS_BEFORE_PAUSE + " wake-ups in a row brought no packet");
    }

    private void handle(F item) {
        WireGuardPacket packet;
        try {
            packet = parser.parse(item);
        } catch (PacketRejectedException e) {
            skipped(e);
            return;
        }
        metrics.packet();
        emit(packet);
    }

    private void skipped(PacketRejectedException e) {
        metrics.malformed(e.reason());
        LOG.debugf("%s: skipped a packet (%s): %s", description, e.reason(), e.getMessage());
    }

    private void lost(String what) {
        metrics.lost();
        long told = lossWarnings.lost(clock.instant());
        if (told == 1) {
            LOG.warnf("%s: %s", description, what);
        } else if (told > 1) {
            LOG.warnf("%s: %s; %d losses since the last warning (one warning a minute at most)", description, what,
                    told);
        }
        emit(new PacketsLost(clock.instant()));
    }

    private void emit(PacketEvent event) {
        try {
            subscribers.accept(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: a subscriber failed on %s", description, event);
        }
    }

    /** Counts an expected kind of failure, logs it as a warning and waits; false when stopping. */
    private boolean pauseAfterFailure(String failure) {
        metrics.error();
        Duration delay = backoff.delay(++failuresInARow);
        LOG.warnf("%s: %s; retrying in %d ms", description, failure, delay.toMillis());
        return pause.await(delay);
    }
}
