package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Each configured key's history, in the time of the scans (docs/architecture.md#tracking):
 * <ul>
 *   <li>{@code peer.first-seen} (with a store) when a key connects and no handshake of it was ever seen before;</li>
 *   <li>{@code peer.stale} when a configured key is not connected and had no handshake for {@code staleAfter}, or none at all
 *       within {@code staleAfter} of wgmon first seeing it ({@code neverConnected}); once per
 *       {@code staleAfter}, counted from its last handshake or its last report, whichever is later.</li>
 * </ul>
 * {@link #nextDue} is when the next stale report falls due, for the one deadline timer: nothing runs at
 * rest in between. Called on the scan thread only.
 */
public final class HistoryWatch {
    private final String host;
    private final PeerNames names;
    private final Duration staleAfter;
    private final boolean firstSeen;
    private final Supplier<UUID> ids;
    private final Map<PeerKey, PeerHistory> histories = new HashMap<>();
    private final Map<PeerKey, PeerHistory> changed = new LinkedHashMap<>();
    private volatile Optional<Instant> nextDue = Optional.empty();
    private volatile Map<PeerKey, Boolean> staleNow = Map.of();
    /**
     * Until when no stale report can fall due, as the last pass over every peer found (MAX: none can), and
     * the peer whose report falls due then; a scan before it that neither changes that peer nor adds or
     * removes any looks only at the peers it changed. Null: the next scan looks at every peer.
     */
    private Instant quietUntil;
    private PeerKey dueFirst;
    private int peerCount;

    /**
     * @param staleAfter zero: no stale reports
     * @param firstSeen  whether to report {@code peer.first-seen}: only when histories outlive a restart (a
     *                   store), else every start would see every key for the first time
     */
    public HistoryWatch(String host, PeerNames names, Duration staleAfter, boolean firstSeen, Supplier<UUID> ids) {
        this.host = host;
        this.names = names;
        this.staleAfter = staleAfter;
        this.firstSeen = firstSeen;
        this.ids = ids;
    }

    void restore(List<PeerHistory> saved) {
        saved.forEach(history -> histories.put(history.key(), history));
    }

    /**
     * The events of one scan taken at {@code now}, with the first-seen and stale events it shows added
     * after them; {@code changed} are the states the scan changed or added, {@code peers} the tracker's
     * state after the scan. Every peer is looked at only when a stale report may be due; otherwise only
     * those that changed (a peer that did not change keeps its history and its due time).
     */
    List<PeerEvent> apply(List<PeerEvent> found, Instant now, List<PeerState> changed, List<PeerState> peers) {
        List<PeerEvent> out = new ArrayList<>(found);
        for (PeerEvent event : found) {
            if (firstSeen && event.type() == PeerEventType.CONNECTED) {
                PeerHistory before = histories.get(event.key());
                if (before == null || before.lastHandshake() == null) {
                    out.add(detailed(event.key(), event.peer(), now, PeerEventType.FIRST_SEEN,
                            new EventDetail.FirstSeen(before == null ? now : before.firstSeen())));
                }
            }
        }
        if (quietUntil != null && now.isBefore(quietUntil) && peers.size() == peerCount
                && changed.stream().noneMatch(state -> state.key().equals(dueFirst))) {
            for (PeerState state : changed) {
                PeerHistory history = remember(state.key(), state.last().lastHandshake(), now);
                if (staleNow.containsKey(state.key()) && !stillStale(history)) {
                    Map<PeerKey, Boolean> stale = new HashMap<>(staleNow);
                    stale.remove(state.key());
                    staleNow = Map.copyOf(stale);
                }
                if (!staleAfter.isZero() && !state.connected() && due(history).isBefore(quietUntil)) {
                    quietUntil = due(history);
                    dueFirst = state.key();
                    nextDue = Optional.of(quietUntil);
                }
            }
            if (now.isBefore(quietUntil)) {
                return out;
            }
        }
        Instant earliest = null;
        PeerKey first = null;
        Map<PeerKey, Boolean> stale = new HashMap<>();
        for (PeerState state : peers) {
            PeerHistory history = remember(state.key(), state.last().lastHandshake(), now);
            if (staleAfter.isZero() || state.connected()) {
                continue; // a connected peer is not stale; its disconnect's scan looks again
            }
            Instant due = due(history);
            if (!due.isAfter(now)) {
                out.add(detailed(state.key(), state.last(), now, PeerEventType.STALE, new EventDetail.Stale(history.lastHandshake(),
                                history.lastHandshake() == null, staleAfter, history.firstSeen())));
                history = update(new PeerHistory(history.key(), history.firstSeen(), history.lastHandshake(), now));
                due = due(history);
            }
            if (stillStale(history)) {
                stale.put(state.key(), history.lastHandshake() == null);
            }
            if (earliest == null || due.isBefore(earliest)) {
                earliest = due;
                first = state.key();
            }
        }
        nextDue = Optional.ofNullable(earliest);
        quietUntil = earliest == null ? Instant.MAX : earliest;
        dueFirst = first;
        peerCount = peers.size();
        staleNow = Map.copyOf(stale);
        return out;
    }

    /** The peers reported stale and without a handshake since, each with whether it never connected. Any thread. */
    public Map<PeerKey, Boolean> stale() {
        return staleNow;
    }

    private static boolean stillStale(PeerHistory history) {
        return history.staleReported() != null && (history.lastHandshake() == null
                || history.staleReported().isAfter(history.lastHandshake()));
    }

    /** When the next stale report falls due; empty when none can (no peers, or stale reports off). */
    Optional<Instant> nextDue() {
        return nextDue;
    }

    /** The histories changed since the last call, for the store. */
    List<PeerHistory> drainChanged() {
        List<PeerHistory> drained = List.copyOf(changed.values());
        changed.clear();
        return drained;
    }

    private Instant due(PeerHistory history) {
        Instant since = history.lastHandshake() == null ? history.firstSeen() : history.lastHandshake();
        if (history.staleReported() != null && history.staleReported().isAfter(since)) {
            since = history.staleReported();
        }
        return since.plus(staleAfter);
    }

    private PeerHistory remember(PeerKey key, Instant handshake, Instant now) {
        PeerHistory history = histories.get(key);
        if (history == null) {
            return update(new PeerHistory(key, now, handshake, null));
        }
        if (handshake != null && (history.lastHandshake() == null || handshake.isAfter(history.lastHandshake()))) {
            return update(new PeerHistory(key, history.firstSeen(), handshake, history.staleReported()));
        }
        return history;
    }

    private PeerHistory update(PeerHistory history) {
        histories.put(history.key(), history);
        changed.put(history.key(), history);
        return history;
    }

    private PeerEvent detailed(PeerKey key, Peer peer, Instant now, PeerEventType type, EventDetail detail) {
        return new PeerEvent(ids.get(), type, now, host, key, peer, names.nameOf(key), null, null, null, null,
                detail);
    }
}
