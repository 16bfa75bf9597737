package io.wgmon.tracking;

import io.wgmon.capture.WireGuardPacket;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Tells when packets do not reach the capture (docs/architecture.md#rule-diagnosis): a scan finds a peer's
 * handshake, newer than the first scan, that began a session or came from a new endpoint (a roam), and that no
 * packet the capture saw from the peer's address preceded. The rule logs such a handshake's packets to the
 * WireGuard port (an initiation or a response, and the session's first data packet), so it is missing, matches
 * another port, or logs to another group. A connected peer's rekey from its endpoint is not judged: the rule keeps
 * those packets in the kernel. Said once with a WARN, kept for readiness, the metrics and the
 * status page, and cleared (with an INFO) by the next packet that arrives.
 * <p>
 * {@link #seen} on the packet reader thread, {@link #scanned} on the scan thread; {@link #finding} anywhere.
 */
public final class MissingRuleDiagnosis {
    private static final Logger LOG = Logger.getLogger(MissingRuleDiagnosis.class);
    static final int MAX_SOURCES = 65536;
    /** A packet just before the scan may still be in the capture's queue: handshakes younger than this wait. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    /** The handshake's packets precede it by a round trip; this much earlier still counts, for clock steps. */
    static final Duration TOLERANCE = Duration.ofSeconds(10);

    /** What the diagnosis found: the peer whose handshake no packet preceded. */
    public record Finding(PeerKey peer, Instant handshake, Instant foundAt, String message) {
    }

    private final String source;
    private final IntFunction<String> advice;
    private final Map<InetAddress, Instant> lastSeen = new ConcurrentHashMap<>();
    private final AtomicLong detections = new AtomicLong();
    private Instant baseline;
    /** The scan before this one; scan thread. */
    private Instant previousScan;
    private volatile Finding finding;
    private volatile boolean packetsSeen;
    /** When the last finding was cleared: handshakes before it were judged already. */
    private volatile Instant clearedAt;
    /** Peers whose handshake a scan found but could not judge yet (too recent, or a finding stood); scan thread. */
    private final Map<PeerKey, PeerState> unjudged = new LinkedHashMap<>();

    /**
     * @param source the packet source as its describe() says it, e.g. "nflog group 1"
     * @param advice what to check and the rule to use, for the WARN, given the interface's listen port
     */
    public MissingRuleDiagnosis(String source, IntFunction<String> advice) {
        this.source = source;
        this.advice = advice;
    }

    /** Each captured packet: dates its source, and clears a finding. */
    void seen(WireGuardPacket packet) {
        packetsSeen = true;
        if (!packet.ordinaryData()) {
            if (lastSeen.size() >= MAX_SOURCES) {
                lastSeen.clear();
            }
            lastSeen.put(packet.source(), packet.time());
        }
        Finding found = finding;
        if (found != null) {
            clearedAt = packet.time();
            finding = null;
            LOG.infof("Packets reach %s again (from %s); the missing-rule diagnosis is cleared", source,
                    packet.source().getHostAddress());
        }
    }

    /**
     * After each scan, with the states it changed or added (a peer it left alone has the handshake it had,
     * judged already or waiting among {@link #unjudged}); the first scan only sets the baseline.
     *
     * @param tracked the tracker's events of this scan: a connect or a roam marks a handshake the rule logs
     */
    void scanned(Scan scan, List<PeerState> changed, List<PeerEvent> tracked,
                 Function<InetSocketAddress, Instant> lastDataFrom) {
        Instant now = scan.time();
        if (baseline == null) {
            baseline = now;
            previousScan = now;
            return;
        }
        Set<PeerKey> arrived = arrivedFromNewEndpoints(tracked, previousScan);
        previousScan = now;
        for (PeerState state : changed) {
            if (arrived.contains(state.key()) && state.last().lastHandshake() != null
                    && state.last().endpoint() != null) {
                unjudged.put(state.key(), state);
            }
        }
        if (finding != null) {
            return;
        }
        Instant judgedSince = clearedAt != null && clearedAt.isAfter(baseline) ? clearedAt : baseline;
        Instant settled = now.minus(SETTLE);
        Iterator<PeerState> waiting = unjudged.values().iterator();
        while (waiting.hasNext()) {
            PeerState state = waiting.next();
            Peer peer = state.last();
            Instant handshake = peer.lastHandshake();
            if (handshake.isAfter(settled)) {
                continue; // its packets may still be in the capture's queue: judged by a later scan
            }
            waiting.remove();
            if (!handshake.isAfter(judgedSince)) {
                continue;
            }
            Instant since = handshake.minus(TOLERANCE);
            Instant packet = lastSeen.get(peer.endpoint().getAddress());
            Instant data = lastDataFrom.apply(peer.endpoint());
            if ((packet != null && !packet.isBefore(since)) || (data != null && !data.isBefore(since))) {
                continue;
            }
            String message = "WireGuard reports a handshake of peer " + state.key() + " from "
                    + peer.endpointText() + " at " + handshake + ", but no packet from it reached " + source
                    + ": packets to the WireGuard port are not reaching wgmon. " + advice.apply(listenPort(scan, state.key()));
            finding = new Finding(state.key(), handshake, now, message);
            detections.incrementAndGet();
            LOG.warn(message + ". Said once; cleared when packets arrive");
            return;
        }
    }

    /**
     * The peers whose handshake in this scan began a session or came from a new endpoint: only those are
     * logged by the rule, which keeps a connected peer's rekeys from its known endpoint in the kernel. A roam
     * without a handshake since the previous scan (data from a new port) sent nothing the rule logs.
     */
    private static Set<PeerKey> arrivedFromNewEndpoints(List<PeerEvent> tracked, Instant previousScan) {
        Set<PeerKey> arrived = new HashSet<>();
        for (PeerEvent event : tracked) {
            boolean connect = event.type() == PeerEventType.CONNECTED;
            boolean roamWithHandshake = event.type() == PeerEventType.ROAMED && event.peer().lastHandshake() != null
                    && event.peer().lastHandshake().isAfter(previousScan);
            if (connect || roamWithHandshake) {
                arrived.add(event.key());
            }
        }
        return arrived;
    }

    private static int listenPort(Scan scan, PeerKey key) {
        return scan.devices().stream().filter(d -> d.name().equals(key.interfaceName())).mapToInt(Device::listenPort)
                .findFirst().orElse(0);
    }

    /** The current finding, null when packets arrive as they should (or nothing was found yet). */
    public Finding finding() {
        return finding;
    }

    /** Whether the capture delivered any packet since start. */
    public boolean packetsSeen() {
        return packetsSeen;
    }

    /** How often a missing rule was found since start. */
    public long detections() {
        return detections.get();
    }
}
