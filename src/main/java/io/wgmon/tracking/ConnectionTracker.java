package io.wgmon.tracking;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns scans into connection events (docs/architecture.md#tracking). Pure logic: no sockets, no threads,
 * no clock of its own — time comes from each scan. {@link #apply} must be called from one thread at
 * a time (the scan thread); the read-only views are published after each scan and safe anywhere.
 *
 * <ul>
 *   <li>connected: a handshake newer than the last one seen, and recent (within idle-timeout);</li>
 *   <li>disconnected/idle: connected, and neither a new handshake nor rx growth for idle-timeout;</li>
 *   <li>disconnected/removed: the peer left its device;</li>
 *   <li>disconnected/interface-down: the device is gone;</li>
 *   <li>counters that go backwards mean a new session: the old one is reported gone (interface-down
 *       when the whole device started again, removed when only this peer did), then the peer is
 *       looked at as if first seen;</li>
 *   <li>the first scan is a baseline: connected peers are tracked, reported only if asked, except
 *       that a handshake newer than wgmon's start is a connect (it happened while wgmon started);</li>
 *   <li>a disconnect is sent only for a peer whose connect was sent;</li>
 *   <li>state saved by an earlier run ({@link #restore}) replaces the baseline for its interfaces: the
 *       first scan compares with it by the rules above, so a restart reports nothing already reported
 *       and reports what changed while wgmon was down.</li>
 * </ul>
 * A scan's work follows what changed (docs/architecture.md#tracking): a peer the backend lists as it listed
 * it last time (the UAPI reader hands back the same {@link Peer}) is not looked at, unless it is connected
 * and its idle moment has come ({@link #idleChecks}); {@link #changed} and {@link #removed} tell the
 * steps after the tracker which states this scan changed.
 */
public final class ConnectionTracker {
    private final String host;
    private final Duration idleTimeout;
    private final boolean reportExisting;
    private final PeerNames names;
    private final Supplier<UUID> ids;
    private final Function<InetSocketAddress, Instant> lastPacketFrom;
    private final Instant startedAt;

    private final Map<PeerKey, PeerState> peers = new HashMap<>();
    /** How many peers of each interface are tracked: a read that lists as many known peers removed none. */
    private final Map<String, Integer> tracked = new HashMap<>();
    /**
     * Connected peers by when they may fall idle, at most one check each ({@link #idleCheckQueued}); a check
     * that comes before its peer's idle moment (activity moved it) is put back at that moment.
     */
    private final PriorityQueue<IdleCheck> idleChecks = new PriorityQueue<>();
    private final Set<PeerKey> idleCheckQueued = new HashSet<>();
    private List<PeerState> changed = new ArrayList<>();
    private List<PeerKey> removed = new ArrayList<>();
    /** Whether this scan connected, disconnected, moved or removed a connected peer. */
    private boolean endpointsChanged;
    /** Interfaces whose peers were not yet seen in a successful read; their first read is a baseline. */
    private final Set<String> awaitingBaseline = new HashSet<>();
    /** Interfaces whose peers came from saved state: their first scan is compared with it, not a baseline. */
    private final Set<String> restored = new HashSet<>();
    private boolean baselineTaken;
    private volatile Set<InetSocketAddress> connectedEndpoints = Set.of();
    private volatile List<PeerState> published = List.of();

    /**
     * @param lastPacketFrom when the packet source last saw a packet from an endpoint (null: never);
     *                       rx growth is dated by it instead of by the scan that noticed it
     * @param startedAt      when wgmon started: a handshake after it, found by the baseline, is a connect
     */
    public ConnectionTracker(String host, Duration idleTimeout, boolean reportExisting,
                             PeerNames names, Supplier<UUID> ids, Function<InetSocketAddress, Instant> lastPacketFrom,
                             Instant startedAt) {
        this.lastPacketFrom = lastPacketFrom;
        this.startedAt = startedAt;
        this.host = host;
        this.idleTimeout = idleTimeout;
        this.reportExisting = reportExisting;
        this.names = names;
        this.ids = ids;
    }

    /**
     * Takes the state an earlier run saved, before the first scan: its peers are tracked as they were,
     * and the first scan of their interfaces reports what changed since (docs/architecture.md#tracking).
     */
    public void restore(List<PeerState> saved) {
        if (baselineTaken) {
            throw new IllegalStateException("saved state is restored before the first scan");
        }
        for (PeerState state : saved) {
            put(state);
            restored.add(state.key().interfaceName());
        }
        published = List.copyOf(peers.values());
        connectedEndpoints = collectConnectedEndpoints();
        changed = new ArrayList<>();
    }

    public List<PeerEvent> apply(Scan scan) {
        Instant now = scan.time();
        List<PeerEvent> events = new ArrayList<>();
        changed = new ArrayList<>();
        removed = new ArrayList<>();
        endpointsChanged = false;
        boolean listingFailed = !scan.listed();
        if (!baselineTaken) {
            if (listingFailed) {
                return events;
            }
            scan.failures().stream().map(Scan.ScanFailure::interfaceName).filter(name -> !restored.contains(name))
                    .forEach(awaitingBaseline::add);
        }
        Set<String> present = new HashSet<>();
        for (Device device : scan.devices()) {
            present.add(device.name());
            boolean baseline = (!baselineTaken && !restored.contains(device.name()))
                    || awaitingBaseline.remove(device.name());
            applyDevice(device, now, baseline, events);
        }
        checkIdle(present, now, events);
        if (!listingFailed) {
            Set<String> gone = new HashSet<>(tracked.keySet());
            gone.removeAll(present);
            scan.failures().forEach(f -> gone.remove(f.interfaceName()));
            if (!gone.isEmpty()) {
                dropWhere(state -> gone.contains(state.key().interfaceName()), now, DisconnectReason.INTERFACE_DOWN, events);
            }
        }
        baselineTaken = true;
        if (!changed.isEmpty() || !removed.isEmpty()) {
            published = List.copyOf(peers.values());
        }
        if (endpointsChanged) {
            connectedEndpoints = collectConnectedEndpoints();
        }
        return events;
    }

    private void applyDevice(Device device, Instant now, boolean baseline, List<PeerEvent> events) {
        List<Peer> moved = new ArrayList<>();
        List<PeerState> befores = new ArrayList<>();
        int known = 0;
        for (Peer peer : device.peers()) {
            PeerState before = peers.get(new PeerKey(device.name(), peer.publicKey()));
            if (before != null) {
                known++;
                if (peer == before.last() || peer.equals(before.last())) {
                    continue; // as the last read listed it: only its idle moment matters (checkIdle)
                }
            }
            moved.add(peer);
            befores.add(before);
        }
        DisconnectReason resetReason = restarted(moved, befores) ? DisconnectReason.INTERFACE_DOWN : DisconnectReason.REMOVED;
        for (Peer peer : moved) {
            PeerKey key = new PeerKey(device.name(), peer.publicKey());
            PeerState before = peers.get(key); // a key a daemon listed twice finds its first listing's state
            PeerState after;
            if (before == null) {
                after = firstSight(key, peer, now, baseline, events);
            } else if (countersWentBack(before.last(), peer)) {
                if (before.connected() && before.reported()) {
                    events.add(event(PeerEventType.DISCONNECTED, before, now, resetReason));
                }
                after = firstSight(key, peer, now, false, events);
            } else {
                after = update(before, peer, now, events);
            }
            put(after);
        }
        if (known < tracked.getOrDefault(device.name(), 0)) {
            Set<String> keys = new HashSet<>();
            device.peers().forEach(peer -> keys.add(peer.publicKey()));
            dropWhere(state -> state.key().interfaceName().equals(device.name())
                    && !keys.contains(state.key().publicKey()), now, DisconnectReason.REMOVED, events);
        }
    }

    /**
     * Connected peers of the interfaces this scan read whose idle moment has come: a peer that changed was
     * judged by {@link #update} already, so one still connected and idle now is one the read listed unchanged.
     */
    private void checkIdle(Set<String> read, Instant now, List<PeerEvent> events) {
        List<IdleCheck> later = new ArrayList<>();
        while (!idleChecks.isEmpty() && !idleChecks.peek().at().isAfter(now)) {
            IdleCheck check = idleChecks.poll();
            PeerState state = peers.get(check.key());
            if (state == null || !state.connected()) {
                idleCheckQueued.remove(check.key());
            } else if (!read.contains(check.key().interfaceName())) {
                later.add(check); // not read this time: its peers stay as they were
            } else if (!state.idleAt(now, idleTimeout)) {
                idleChecks.add(new IdleCheck(idleAt(state), check.key()));
            } else {
                idleCheckQueued.remove(check.key());
                put(update(state, state.last(), now, events));
            }
        }
        idleChecks.addAll(later);
    }

    /** Stores a peer's state; a new one counts as changed by this scan, and a connected one gets its idle check. */
    private void put(PeerState state) {
        PeerState before = peers.put(state.key(), state);
        if (before == state) {
            return;
        }
        if (before == null) {
            tracked.merge(state.key().interfaceName(), 1, Integer::sum);
        }
        changed.add(state);
        endpointsChanged |= before == null ? state.connected() : before.connected() != state.connected()
                || (state.connected() && !Objects.equals(before.last().endpoint(), state.last().endpoint()));
        if (state.connected() && idleCheckQueued.add(state.key())) {
            idleChecks.add(new IdleCheck(idleAt(state), state.key()));
        }
    }

    private Instant idleAt(PeerState state) {
        return state.lastActivity() == null ? Instant.MIN : state.lastActivity().plus(idleTimeout);
    }

    /**
     * A device started again (its daemon restarted, or it was deleted and created between two scans):
     * a peer's counters went back and no peer's grew. Otherwise counters that went back are one peer
     * removed and added again. Only peers that changed since the last read can show either.
     */
    private static boolean restarted(List<Peer> moved, List<PeerState> befores) {
        boolean back = false;
        for (int i = 0; i < moved.size(); i++) {
            PeerState before = befores.get(i);
            if (before == null) {
                continue;
            }
            Peer peer = moved.get(i);
            Peer last = before.last();
            if (peer.rxBytes() > last.rxBytes() || peer.txBytes() > last.txBytes()) {
                return false;
            }
            back |= countersWentBack(last, peer);
        }
        return back;
    }

    private static boolean countersWentBack(Peer last, Peer now) {
        return now.rxBytes() < last.rxBytes() || now.txBytes() < last.txBytes();
    }

    private PeerState firstSight(PeerKey key, Peer peer, Instant now, boolean baseline, List<PeerEvent> events) {
        Instant handshake = peer.lastHandshake();
        PeerState state = new PeerState(key, peer, null, handshake, false, null);
        if (!recent(handshake, now)) {
            return state;
        }
        if (baseline && !handshake.isAfter(startedAt)) {
            if (!reportExisting) {
                return state.connectUnreported(peer, handshake, handshake);
            }
            state = state.connect(peer, handshake, handshake, newSession(peer.rxBytes(), peer.txBytes()));
            events.add(event(PeerEventType.CONNECTED, state, now, null));
            return state;
        }
        state = state.connect(peer, now, now, newSession(0, 0));
        events.add(event(PeerEventType.CONNECTED, state, now, null));
        return state;
    }

    private PeerState update(PeerState before, Peer peer, Instant now, List<PeerEvent> events) {
        Peer last = before.last();
        boolean newHandshake = newer(peer.lastHandshake(), last.lastHandshake());
        boolean rxMoved = peer.rxBytes() != last.rxBytes();
        if (!before.connected()) {
            if (newHandshake && recent(peer.lastHandshake(), now)) {
                PeerState connected = before.connect(peer, now, now, newSession(last.rxBytes(), last.txBytes()));
                events.add(event(PeerEventType.CONNECTED, connected, now, null));
                return connected;
            }
            return before.seen(peer);
        }
        if (newHandshake || rxMoved) {
            PeerState active = before.active(peer, activityTime(before, peer, now));
            if (before.reported() && peer.endpoint() != null && last.endpoint() != null
                    && !Objects.equals(peer.endpoint(), last.endpoint())) {
                events.add(event(PeerEventType.ROAMED, active, now, null,
                        new EventDetail.Roamed(last.endpointText(), 0)));
            }
            return active;
        }
        PeerState seen = before.seen(peer);
        if (seen.idleAt(now, idleTimeout)) {
            if (seen.reported()) {
                events.add(event(PeerEventType.DISCONNECTED, seen, now, DisconnectReason.IDLE));
            }
            return seen.disconnect();
        }
        return seen;
    }

    /**
     * Rx growth seen by this scan happened after the last known activity and by now; a packet
     * seen from the peer's endpoint in that span dates it more exactly than the scan does. WireGuard
     * accepts no data under keys older than REJECT_AFTER_TIME, so growth without a newer handshake
     * happened by then at the latest (docs/architecture.md#deadlines); rx that only a failing handshake
     * adds later is not activity.
     */
    private Instant activityTime(PeerState before, Peer peer, Instant now) {
        Instant packet = lastPacketFrom.apply(peer.endpoint());
        boolean inSpan = packet != null && !packet.isAfter(now)
                && (before.lastActivity() == null || packet.isAfter(before.lastActivity()));
        Instant at = inSpan ? packet : now;
        Instant keysExpire = peer.lastHandshake() == null ? null : peer.lastHandshake().plus(PeerDeadlines.REJECT_AFTER_TIME);
        if (keysExpire != null && keysExpire.isBefore(at)
                && (before.lastActivity() == null || keysExpire.isAfter(before.lastActivity()))) {
            return keysExpire;
        }
        return at;
    }

    private void dropWhere(Predicate<PeerState> gone, Instant now, DisconnectReason reason,
                           List<PeerEvent> events) {
        Iterator<PeerState> states = peers.values().iterator();
        while (states.hasNext()) {
            PeerState state = states.next();
            if (gone.test(state)) {
                if (state.connected() && state.reported()) {
                    events.add(event(PeerEventType.DISCONNECTED, state, now, reason));
                }
                states.remove();
                tracked.computeIfPresent(state.key().interfaceName(), (name, count) -> count == 1 ? null : count - 1);
                removed.add(state.key());
                endpointsChanged |= state.connected();
            }
        }
    }

    /**
     * Whether {@code handshake} is later than {@code before}, to the millisecond: saved state keeps
     * milliseconds while backends report nanoseconds, and no two handshakes are that close.
     */
    static boolean newer(Instant handshake, Instant before) {
        return handshake != null
                && (before == null || handshake.truncatedTo(ChronoUnit.MILLIS).isAfter(before.truncatedTo(ChronoUnit.MILLIS)));
    }

    private boolean recent(Instant handshake, Instant now) {
        return handshake != null && now.isBefore(handshake.plus(idleTimeout));
    }

    /**
     * A session's bytes count from the counters of the last scan before it (its handshake and first
     * packets included); for a peer new to its device, from 0; for a connected peer the baseline finds,
     * from now, as what came before is not known.
     */
    private OpenSession newSession(long rxBefore, long txBefore) {
        return new OpenSession(ids.get(), rxBefore, txBefore);
    }

    private PeerEvent event(PeerEventType type, PeerState state, Instant now, DisconnectReason reason) {
        return event(type, state, now, reason, null);
    }

    private PeerEvent event(PeerEventType type, PeerState state, Instant now, DisconnectReason reason,
                            EventDetail detail) {
        Duration connectedFor = reason == null ? null : Duration.between(state.connectedSince(), now);
        OpenSession session = state.session();
        SessionTraffic traffic = reason == null || session == null ? null
                : new SessionTraffic(session.rxBytes(state.last()), session.txBytes(state.last()));
        return new PeerEvent(ids.get(), type, now, host, state.key(), state.last(), names.nameOf(state.key()),
                reason, connectedFor, session == null ? null : session.id(), traffic, detail);
    }

    private Set<InetSocketAddress> collectConnectedEndpoints() {
        Set<InetSocketAddress> endpoints = new HashSet<>();
        for (PeerState state : published) {
            if (state.connected() && state.last().endpoint() != null) {
                endpoints.add(state.last().endpoint());
            }
        }
        return Set.copyOf(endpoints);
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public boolean hasConnectedPeers() {
        return published.stream().anyMatch(PeerState::connected);
    }

    /** Endpoints of connected peers, as of the last scan; safe to read from any thread. */
    public Set<InetSocketAddress> connectedEndpoints() {
        return connectedEndpoints;
    }

    /** Every tracked peer's state as of the last scan. */
    public List<PeerState> peers() {
        return published;
    }

    /** The states the last scan changed or added; on the scan thread. */
    List<PeerState> changed() {
        return changed;
    }

    /** The peers the last scan stopped tracking; on the scan thread. */
    List<PeerKey> removed() {
        return removed;
    }

    private record IdleCheck(Instant at, PeerKey key) implements Comparable<IdleCheck> {
        @Override
        public int compareTo(IdleCheck other) {
            return at.compareTo(other.at);
        }
    }
}
