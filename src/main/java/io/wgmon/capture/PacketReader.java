package io.wgmon.capture;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * How one packet source reads, for the shared {@link ReaderLoop}: the NFLOG socket or the pcap
 * capture behind a common shape. Called from the reader thread only.
 *
 * <p>Each method may throw {@link CaptureClosedException} once the source is closed (the loop
 * ends) and {@link CaptureException} when reading failed (the loop backs off);
 * {@link #readWaiting} may throw {@link PacketRejectedException} when a whole read is unusable.
 *
 * @param <F> what one read yields for the source's {@link PacketParser}
 */
public interface PacketReader<F> {

    /** Blocks, costing no CPU, until something may be waiting. */
    void awaitReadable();

    /**
     * Reads what is waiting, a bounded amount, and hands each item to {@code items} before
     * reading on: an item may be a view of a buffer that the next read reuses.
     *
     * @return the reads that brought data; 0 when this wake-up brought nothing
     */
    int readWaiting(Consumer<F> items);

    /** Packets lost since the last call, as words for the log; empty when none were. */
    Optional<String> lossesSinceLastLook();
}
