package io.wgmon.tracking;

import io.smallrye.mutiny.subscription.Cancellable;
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

    private final Timers timers;
    private final Runnable requestScan;
    private Cancellable pending;

    /** @param requestScan asks for a plain scan; must not block */
    public HandshakeFallback(Timers timers, Runnable requestScan) {
        this.timers = timers;
        this.requestScan = requestScan;
    }

    /** An initiation from a source that is not a connected peer's endpoint. */
    synchronized void initiated() {
        if (pending != null) {
            return;
        }
        Cancellable[] self = new Cancellable[1];
        self[0] = timers.schedule(DELAY, () -> due(self[0]));
        pending = self[0];
    }

    /** An urgent scan was asked for: the handshake's first data packet arrived. */
    synchronized void completed() {
        cancel();
    }

    synchronized void close() {
        cancel();
    }

    private void due(Cancellable timer) {
        synchronized (this) {
            if (pending != timer) {
                return;
            }
            pending = null;
        }
        requestScan.run();
    }

    private void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }
}
