package io.wgmon.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Always-on peers, in the time of the scans (docs/architecture.md#expectations): {@code peer.down} once when
 * one had no handshake for its grace (counted from its last handshake, or from when wgmon began to watch
 * it without one), {@code peer.up} when a scan finds a newer handshake, with how long it was without.
 * {@link #nextDue} is the earliest grace that runs out, for the one deadline timer: a scan at that moment
 * finds the handshake or reports the peer down, and nothing runs in between. Called on the scan thread
 * only, but {@link #nextDue} and {@link #down}.
 */
public final class AlwaysOnWatch {
    private final String host;
    private final PeerNames names;
    private final PeerExpectations expectations;
    private final Supplier<UUID> ids;
    private final Map<PeerKey, ExpectationStore.Down> down = new HashMap<>();
    /** Always-on peers seen without any handshake: since when. */
    private final Map<PeerKey, Instant> watchedSince = new HashMap<>();
    private final List<ExpectationStore.Down> wentDown = new ArrayList<>();
    private final List<ExpectationStore.Down> cameUp = new ArrayList<>();
    private volatile Optional<Instant> nextDue = Optional.empty();
    private volatile Set<PeerKey> downNow = Set.of();

    public AlwaysOnWatch(String host, PeerNames names, PeerExpectations expectations, Supplier<UUID> ids) {
        this.host = host;
        this.names = names;
        this.expectations = expectations;
        this.ids = ids;
    }

    void restore(List<ExpectationStore.Down> saved) {
        saved.forEach(d -> down.put(d.key(), d));
        downNow = Set.copyOf(down.keySet());
    }

    /** The down and up events a scan at {@code now} shows; {@code peers} is the tracker's state after it. */
    List<PeerEvent> apply(Instant now, List<PeerState> peers) {
        if (down.isEmpty() && watchedSince.isEmpty() && !expectations.anyAlwaysOn()) {
            nextDue = Optional.empty();
            return List.of();
        }
        List<PeerEvent> out = new ArrayList<>();
        Instant earliest = null;
        for (PeerState state : peers) {
            PeerKey key = state.key();
            Expectation expectation = expectations.of(key);
            ExpectationStore.Down before = down.get(key);
            if (!expectation.alwaysOn()) {
                watchedSince.remove(key);
                if (before != null) {
                    down.remove(key);
                    cameUp.add(before); // no longer expected: forgotten without a peer.up
                }
                continue;
            }
            Instant handshake = state.last().lastHandshake();
            if (before != null) {
                if (handshake == null || !handshake.isAfter(before.since())) {
                    continue; // still down: reported once
                }
                down.remove(key);
                cameUp.add(before);
                out.add(event(state, now, PeerEventType.UP, new EventDetail.Up(Duration.between(before.since(), handshake))));
            }
            Instant since = handshake;
            if (since == null) {
                since = watchedSince.computeIfAbsent(key, k -> now);
            } else {
                watchedSince.remove(key);
            }
            Instant due = since.plus(expectation.grace());
            if (due.isAfter(now)) {
                earliest = earliest == null || due.isBefore(earliest) ? due : earliest;
                continue;
            }
            ExpectationStore.Down reported = new ExpectationStore.Down(key, since, now);
            down.put(key, reported);
            wentDown.add(reported);
            out.add(event(state, now, PeerEventType.DOWN, new EventDetail.Down(handshake, expectation.grace())));
        }
        nextDue = Optional.ofNullable(earliest);
        downNow = Set.copyOf(down.keySet());
        return out;
    }

    /** When the next grace runs out; empty when no always-on peer is up. Any thread. */
    Optional<Instant> nextDue() {
        return nextDue;
    }

    /** The peers reported down and not up since. Any thread. */
    Set<PeerKey> down() {
        return downNow;
    }

    /** Peers reported down since the last call, for the store. */
    List<ExpectationStore.Down> drainDown() {
        List<ExpectationStore.Down> drained = List.copyOf(wentDown);
        wentDown.clear();
        return drained;
    }

    /** Peers up again (or no longer always-on) since the last call, for the store. */
    List<ExpectationStore.Down> drainUp() {
        List<ExpectationStore.Down> drained = List.copyOf(cameUp);
        cameUp.clear();
        return drained;
    }

    private PeerEvent event(PeerState state, Instant now, PeerEventType type, EventDetail detail) {
        return new PeerEvent(ids.get(), type, now, host, state.key(), state.last(), names.nameOf(state.key()), null,
                null, null, null, detail);
    }
}
