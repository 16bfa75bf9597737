package io.wgmon.tracking;

import io.wgmon.timing.TimerSlot;
import io.wgmon.timing.Timers;

import java.time.Duration;

/**
 * A scan shortly after an initiation from a source wgmon cannot map to a connected peer, in case the
 * session's first data packet, which completes the handshake for WireGuard and asks for the urgent scan,
 * is lost or not logged (docs/architecture.md#scan-decisions). One timer at a time, however many
 * initiations come, and none when an urgent scan was asked for meanwhile: a flood of forged initiations
 * adds at most one plain, coalesced scan per {@link #DELAY}.
 */
public final class HandshakeFallback {
    static final Duration DELAY = Duration.ofMillis(500);

    private final Runnable requestScan;
    private final TimerSlot pending;

    /** @param requestScan asks for a plain scan; must not block */
    public HandshakeFallback(Timers timers, Runnable requestScan) {
        this.requestScan = requestScan;
        this.pending = new TimerSlot(timers);
    }

    /** An initiation from a source that is not a connected peer's endpoint. */
    synchronized void initiated() {
        if (!pending.armed()) {
            pending.arm(DELAY, this::due);
        }
    }

    /** An urgent scan was asked for: the handshake's first data packet arrived. */
    synchronized void completed() {
        pending.cancel();
    }

    synchronized void close() {
        pending.cancel();
    }

    private void due(long ticket) {
        synchronized (this) {
            if (!pending.take(ticket)) {
                return;
            }
        }
        requestScan.run();
    }
}
