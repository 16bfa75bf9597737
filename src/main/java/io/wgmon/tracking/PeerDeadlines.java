package io.wgmon.tracking;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * When each connected peer must be looked at again (docs/architecture.md#deadlines). Pure logic in
 * the time of the scans and packets it is given; {@link #scanned} on the scan thread, {@link #earliest}
 * on any thread.
 * <ul>
 *   <li>A connected peer's deadline is its last activity a scan confirmed plus idle-timeout: a scan at
 *       that moment finds no newer handshake and no rx growth, and the tracker reports it idle.</li>
 *   <li>A completed handshake seen since from its endpoint (a response, or the first data packet of a
 *       new session: {@link SessionStartTimes}) moves the deadline to that packet plus idle-timeout
 *       without a scan. Initiations and ordinary data do not: a removed peer's client goes on sending
 *       those, and its removal is found at its deadline. A packet can be forged, so this
 *       holds only up to the confirmed activity plus {@link #REJECT_AFTER_TIME}: WireGuard drops keys
 *       that old, so a real peer has handshaken again by then, and a scan must confirm it.</li>
 *   <li>Rx growth a scan found but no packet dates happened some time since the previous scan. The
 *       tracker dates it at the scan (never too early). The peer is looked at again a tick later, so
 *       traffic that ends there is dated within a tick; while rx keeps growing, two, four, … ticks
 *       later, but never later than idle-timeout after the scan nor than when the keys of its last
 *       handshake expire ({@link #REJECT_AFTER_TIME}): WireGuard accepts nothing after that without a
 *       new handshake. Traffic that goes on for D past the scan that found it is dated within D (and
 *       within idle-timeout) for about log2(D / tick) scans instead of D / tick; a peer whose
 *       handshakes stop is reported at the latest REJECT_AFTER_TIME + idle-timeout + a tick after its
 *       last one, whatever its rx did. The kernel's packet times (the rules' seen set) date most growth
 *       instead ({@link ScanPacketTimes}); then there is no recheck.</li>
 *   <li>When a deadline falls due, the kernel's last packet from the peer's endpoint and last packet sent
 *       to it (the rules' seen and sent sets, read by {@link DeadlineLook}) move it as {@link #trafficSeen}
 *       says, without a scan.</li>
 * </ul>
 */
public final class PeerDeadlines {
    /** WireGuard's REJECT_AFTER_TIME: no packet is accepted under keys older than this. */
    static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);

    /**
     * @param base  the deadline before packets: the recheck when there is one, else confirmed plus idle-timeout,
     *              or the traffic the kernel showed plus idle-timeout when later ({@code trafficUntil}). A packet
     *              only moves a deadline later, so no peer is due before its base.
     * @param order breaks ties between equal bases in {@link #byBase}
     */
    private record Watched(PeerKey key, InetSocketAddress endpoint, Instant confirmed, Instant recheckAt, Instant base,
                           long order, Instant trafficUntil) {
        /** Traffic both ways until {@code until}: no scan is due before it plus {@code idleTimeout}, so the base moves too. */
        Watched withTrafficUntil(Instant until, Duration idleTimeout) {
            Instant moved = until.plus(idleTimeout);
            return new Watched(key, endpoint, confirmed, recheckAt, moved.isAfter(base) ? moved : base, order, until);
        }
    }

    /** A connected peer whose deadline is due, and whether the kernel's packet times may move it (no recheck). */
    record Due(PeerKey key, InetSocketAddress endpoint, boolean rechecking) {
    }

    private final Duration idleTimeout;
    private final Duration tick;
    private final Function<InetSocketAddress, Instant> lastHandshakeFrom;
    /** Each connected peer as the scans left it. Guarded by {@code this}, as {@link #byBase}. */
    private final Map<PeerKey, Watched> connected = new HashMap<>();
    /** The connected peers by their base deadline: {@link #earliest} stops at the first whose base is not earlier than a deadline found. */
    private final TreeSet<Watched> byBase = new TreeSet<>(Comparator.comparing(Watched::base).thenComparingLong(Watched::order));
    private long nextOrder;
    private final Map<PeerKey, Long> rxBefore = new HashMap<>();
    /** The recheck spacing each peer's last undated rx growth got; a scan that finds no growth drops it. */
    private final Map<PeerKey, Duration> spacingBefore = new HashMap<>();

    /** @param lastHandshakeFrom when the packet source last saw a completed handshake from an endpoint (null: never) */
    public PeerDeadlines(Duration idleTimeout, Duration tick, Function<InetSocketAddress, Instant> lastHandshakeFrom) {
        this.idleTimeout = idleTimeout;
        this.tick = tick;
        this.lastHandshakeFrom = lastHandshakeFrom;
    }

    /**
     * After each scan taken at {@code now}: the states it changed or added and the peers it stopped tracking.
     * A peer the scan left alone has the deadline it had, less any recheck: its rx did not grow.
     */
    void scanned(Instant now, List<PeerState> changed, List<PeerKey> removed) {
        scanned(now, changed, removed, endpoint -> false);
    }

    /**
     * As {@link #scanned(Instant, List, List)}, where {@code dated} tells the endpoints whose rx growth a packet time
     * dated in this scan: growth dated at the scan itself because the traffic went on past it needs no recheck.
     */
    synchronized void scanned(Instant now, List<PeerState> changed, List<PeerKey> removed,
                              Predicate<InetSocketAddress> dated) {
        Set<PeerKey> seen = new HashSet<>();
        for (PeerState state : changed) {
            PeerKey key = state.key();
            seen.add(key);
            Long before = rxBefore.remove(key);
            Duration previous = spacingBefore.remove(key);
            if (!state.connected()) {
                forget(key);
                continue;
            }
            rxBefore.put(key, state.last().rxBytes());
            Instant confirmed = state.lastActivity() == null ? state.connectedSince() : state.lastActivity();
            // a peer connected by this scan has no growth to date: its handshake is its activity
            boolean grew = before != null && before != state.last().rxBytes();
            Instant recheckAt = null;
            if (grew && now.equals(confirmed) && !dated.test(state.last().endpoint())) {
                Duration nextSpacing = previous == null ? tick : longest(previous.multipliedBy(2));
                spacingBefore.put(key, nextSpacing);
                recheckAt = recheckAfterUndatedGrowth(now, nextSpacing, state.last().lastHandshake());
            } else if (grew && previous != null) {
                spacingBefore.put(key, previous); // growth a packet dated: the traffic goes on
            }
            watch(key, state.last().endpoint(), confirmed, recheckAt);
        }
        for (PeerKey key : removed) {
            forget(key);
            rxBefore.remove(key);
            spacingBefore.remove(key);
        }
        Iterator<Map.Entry<PeerKey, Duration>> spacings = spacingBefore.entrySet().iterator();
        while (spacings.hasNext()) {
            PeerKey key = spacings.next().getKey();
            if (!seen.contains(key)) {
                spacings.remove();
                Watched was = connected.get(key);
                if (was != null && was.recheckAt() != null) {
                    watch(key, was.endpoint(), was.confirmed(), null);
                }
            }
        }
    }

    private void watch(PeerKey key, InetSocketAddress endpoint, Instant confirmed, Instant recheckAt) {
        Instant base = recheckAt != null ? recheckAt : confirmed.plus(idleTimeout);
        Watched peer = new Watched(key, endpoint, confirmed, recheckAt, base, nextOrder++, null);
        Watched was = connected.put(key, peer);
        if (was != null) {
            byBase.remove(was);
        }
        byBase.add(peer);
    }

    private void forget(PeerKey key) {
        Watched was = connected.remove(key);
        if (was != null) {
            byBase.remove(was);
        }
    }

    /**
     * When to look again at a peer whose rx grew undated: {@code spacing} after this scan, but no later
     * than its plain deadline (this scan plus idle-timeout) nor than when its session's keys expire (a
     * tick after this scan at the earliest): no rx comes after that without a new handshake.
     */
    private Instant recheckAfterUndatedGrowth(Instant now, Duration spacing, Instant handshake) {
        Instant at = now.plus(spacing);
        Instant keysExpire = handshake == null ? null : handshake.plus(REJECT_AFTER_TIME);
        if (keysExpire != null && keysExpire.isAfter(now)) {
            at = min(at, max(keysExpire, now.plus(tick)));
        }
        return min(at, now.plus(idleTimeout));
    }

    /**
     * The earliest deadline of a connected peer, counting packets seen since the last scan; empty when none is
     * connected. Walks the peers from the earliest base and stops once the next base is not earlier than the
     * earliest deadline found: only peers a packet moved past a later peer's base are looked at beyond the first.
     */
    public synchronized Optional<Instant> earliest() {
        Instant earliest = null;
        for (Watched peer : byBase) {
            if (earliest != null && !peer.base().isBefore(earliest)) {
                break;
            }
            Instant due = deadline(peer);
            if (earliest == null || due.isBefore(earliest)) {
                earliest = due;
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** The connected peers whose deadline is not after {@code now}, counting packets seen since the last scan. */
    synchronized List<Due> due(Instant now) {
        List<Due> due = new ArrayList<>();
        for (Watched peer : byBase) {
            if (peer.base().isAfter(now)) {
                break;
            }
            if (!deadline(peer).isAfter(now)) {
                due.add(new Due(peer.key(), peer.endpoint(), peer.recheckAt() != null));
            }
        }
        return due;
    }

    /**
     * The kernel's last packet from the peer's endpoint and last packet the server sent it: traffic both ways
     * since its confirmed activity moves its deadline to the older of the two plus idle-timeout, without a scan
     * (docs/architecture.md#deadlines). Only the server's own packets prove it still has the peer: a removed
     * peer's client goes on sending, but is sent nothing. Bounded like a handshake packet, by the confirmed
     * activity plus {@link #REJECT_AFTER_TIME}. A peer being rechecked for undated rx growth is left to its scan.
     */
    synchronized void trafficSeen(PeerKey key, Instant lastIn, Instant lastOut) {
        Watched peer = connected.get(key);
        if (peer == null || peer.recheckAt() != null || lastIn == null || lastOut == null) {
            return;
        }
        Instant both = min(lastIn, lastOut);
        if (!both.isAfter(peer.confirmed())) {
            return;
        }
        Instant trusted = min(both, peer.confirmed().plus(REJECT_AFTER_TIME));
        if (peer.trafficUntil() == null || trusted.isAfter(peer.trafficUntil())) {
            Watched moved = peer.withTrafficUntil(trusted, idleTimeout);
            connected.put(key, moved);
            byBase.remove(peer);
            byBase.add(moved);
        }
    }

    private Instant deadline(Watched peer) {
        if (peer.recheckAt() != null) {
            return peer.recheckAt();
        }
        Instant due = peer.base();
        Instant packet = peer.endpoint() == null ? null : lastHandshakeFrom.apply(peer.endpoint());
        if (packet != null && packet.isAfter(peer.confirmed())) {
            Instant trusted = min(packet, peer.confirmed().plus(REJECT_AFTER_TIME));
            due = max(due, trusted.plus(idleTimeout));
        }
        return due;
    }

    /** Spacing beyond this changes nothing (the keys expire first), and a long stream cannot overflow it. */
    private Duration longest(Duration spacing) {
        Duration cap = REJECT_AFTER_TIME.plus(idleTimeout);
        return spacing.compareTo(cap) > 0 ? cap : spacing;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
