package io.wgmon.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rules over time that turn the tracker's events of a scan into what is reported (docs/architecture.md#tracking):
 * roams rate-limited and endpoint conflicts ({@link EndpointWatch}), first-seen and stale peers
 * ({@link HistoryWatch}, whose histories {@link HistoryStore} keeps). On the scan thread, but
 * {@link #nextDue}, which the deadline timer may read anywhere.
 */
public final class EventRules {
    private final EndpointWatch endpoints;
    private final HistoryWatch history;
    private final HistoryStore store;

    public EventRules(EndpointWatch endpoints, HistoryWatch history, HistoryStore store) {
        this.endpoints = endpoints;
        this.history = history;
        this.store = store;
    }

    /** Before the first scan; may block. */
    void restore() {
        history.restore(store.load());
    }

    /**
     * The events to report for one scan taken at {@code now}; {@code changed} are the states it changed or added,
     * {@code peers} the tracker's state after it.
     */
    List<PeerEvent> apply(List<PeerEvent> found, Instant now, List<PeerState> changed, List<PeerState> peers) {
        List<PeerEvent> events = history.apply(endpoints.apply(found, now), now, changed, peers);
        store.save(history.drainChanged());
        return events;
    }

    /** When a scan must look again without any packet: the next stale report. */
    public Optional<Instant> nextDue() {
        return history.nextDue();
    }
}
