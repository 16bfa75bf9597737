package io.wgmon.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rules over time that turn the tracker's events of a scan into what is reported (docs/architecture.md#tracking):
 * roams rate-limited and endpoint conflicts ({@link EndpointWatch}), first-seen and stale peers
 * ({@link HistoryWatch}, whose histories {@link HistoryStore} keeps), always-on peers and quotas
 * ({@link ExpectationRules}). On the scan thread, but {@link #nextDue}, which the deadline timer may read anywhere.
 */
public final class EventRules {
    private final EndpointWatch endpoints;
    private final HistoryWatch history;
    private final HistoryStore store;
    private final ExpectationRules expectations;

    public EventRules(EndpointWatch endpoints, HistoryWatch history, HistoryStore store,
                      ExpectationRules expectations) {
        this.endpoints = endpoints;
        this.history = history;
        this.store = store;
        this.expectations = expectations;
    }

    /** Before the first scan; may block. */
    void restore() {
        history.restore(store.load());
        expectations.restore();
    }

    /**
     * The events to report for one scan taken at {@code now}; {@code changed} are the states it changed or added,
     * {@code peers} the tracker's state after it.
     */
    List<PeerEvent> apply(List<PeerEvent> found, Instant now, List<PeerState> changed, List<PeerState> peers) {
        List<PeerEvent> events = history.apply(endpoints.apply(found, now), now, changed, peers);
        store.save(history.drainChanged());
        return expectations.apply(found, events, now, peers);
    }

    /** When a scan must look again without any packet: the next stale report or always-on grace. */
    public Optional<Instant> nextDue() {
        Optional<Instant> stale = history.nextDue();
        Optional<Instant> grace = expectations.nextDue();
        return stale.isEmpty() ? grace : grace.isEmpty() || stale.get().isBefore(grace.get()) ? stale : grace;
    }
}
