package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.wgmon.capture.EndpointPackets;
import io.wgmon.timing.ManualTimers;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines moved by the kernel's packet times (the rules' seen and sent sets), in logical time: a simulated device
 * and kernel, the real tracker, {@link PeerDeadlines}, {@link ScanPacketTimes}, {@link DeadlineLook} and
 * {@link DeadlineTimer} on {@link ManualTimers}. A due deadline looks first and dumps the device only when the look
 * does not settle it, as {@link ScanRunner} does.
 */
class DeadlineLookTest {
    private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofSeconds(1);

    /** A peer as WireGuard lists it and as the kernel's sets date its endpoint, changed by the test as it acts. */
    private static final class SimulatedPeer {
        final String key;
        final InetSocketAddress endpoint;
        Instant handshake;
        long rx;
        Instant lastIn;
        Instant lastOut;
        boolean removed;

        SimulatedPeer(int n) throws Exception {
            key = String.format("%043d=", n);
            endpoint = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 40000 + n);
        }

        Peer listed() {
            return new Peer(key, endpoint, List.of(), handshake, rx, 0, 0, 1);
        }
    }

    /** The kernel's sets: what each read asked, answered from the simulated peers. */
    private final class SimulatedSets implements EndpointPacketTimes {
        final List<Collection<InetSocketAddress>> reads = new ArrayList<>();

        @Override
        public Map<InetSocketAddress, EndpointPackets> read(Collection<InetSocketAddress> endpoints) {
            reads.add(List.copyOf(endpoints));
            Map<InetSocketAddress, EndpointPackets> times = new HashMap<>();
            for (SimulatedPeer peer : device) {
                if (endpoints.contains(peer.endpoint) && (peer.lastIn != null || peer.lastOut != null)) {
                    times.put(peer.endpoint, new EndpointPackets(peer.lastIn, peer.lastOut));
                }
            }
            return times;
        }
    }

    private final ManualTimers timers = new ManualTimers(T0);
    private final List<SimulatedPeer> device = new ArrayList<>();
    private final SimulatedSets sets = new SimulatedSets();
    private final List<PeerEvent> events = new ArrayList<>();
    private final List<Instant> dumps = new ArrayList<>();
    private final List<Instant> looks = new ArrayList<>();
    private ConnectionTracker tracker;
    private PeerDeadlines deadlines;
    private ScanPacketTimes packetTimes;
    private DeadlineLook look;
    private DeadlineTimer timer;

    private void start() {
        packetTimes = new ScanPacketTimes(endpoint -> null, sets);
        tracker = new ConnectionTracker("node-1", IDLE, false, PeerNames.none(), UUID::randomUUID, packetTimes,
                T0.minusSeconds(1));
        deadlines = new PeerDeadlines(IDLE, TICK, endpoint -> null);
        look = new DeadlineLook(deadlines, sets, Optional::empty, timers::now);
        timer = new DeadlineTimer(timers, TICK, deadlines::earliest, () -> {
            looks.add(timers.now());
            if (look.settled()) {
                timer.rearm();
            } else {
                dumps.add(timers.now());
                scan();
            }
        });
        scan();
    }

    private void scan() {
        packetTimes.newScan(tracker.connectedEndpoints());
        Scan scan = new Scan(timers.now(), List.of(new Device("wg0", null, 3000, 0,
                device.stream().filter(p -> !p.removed).map(SimulatedPeer::listed).toList())), List.of());
        events.addAll(tracker.apply(scan));
        deadlines.scanned(scan.time(), tracker.changed(), tracker.removed(), packetTimes::dated);
        timer.rearm();
    }

    private SimulatedPeer peer(int n) throws Exception {
        SimulatedPeer peer = new SimulatedPeer(n);
        device.add(peer);
        return peer;
    }

    /** A handshake and its first packets both ways, then the urgent scan. */
    private void connect(SimulatedPeer peer) {
        peer.handshake = timers.now();
        peer.rx += 148 + 32;
        peer.lastIn = timers.now();
        peer.lastOut = timers.now();
        scan();
    }

    /** Each second for {@code seconds}: packets from the client (and, if {@code answered}, data back to it). */
    private void traffic(SimulatedPeer peer, long seconds, boolean answered) {
        for (int i = 0; i < seconds; i++) {
            timers.advance(Duration.ofSeconds(1));
            if (!peer.removed) {
                peer.rx += 100;
            }
            peer.lastIn = timers.now();
            if (answered && !peer.removed) {
                peer.lastOut = timers.now();
            }
        }
    }

    private void advanceSeconds(long seconds) {
        timers.advance(Duration.ofSeconds(seconds));
    }

    private PeerEvent disconnect() {
        return events.stream().filter(e -> e.type() == PeerEventType.DISCONNECTED).findFirst()
                .orElseThrow(() -> new AssertionError("no disconnect in " + events));
    }

    private void assertWithin(Instant from, Duration bound, Instant actual, String what) {
        assertTrue(!actual.isBefore(from) && !actual.isAfter(from.plus(bound)),
                what + " at " + actual + ", not within " + bound + " of " + from);
    }

    @Test
    void trafficBothWaysMovesDeadlinesWithoutDumpsAndItsEndIsReportedWithinATick() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        traffic(alice, 100, true);
        Instant last = timers.now();
        assertEquals(List.of(), dumps, "a hundred seconds of traffic both ways: no dump");
        assertTrue(looks.size() >= 9 && looks.size() <= 11, "one look an idle-timeout: " + looks);
        advanceSeconds(30);
        assertEquals(1, dumps.size(), "one dump once the traffic stopped: " + dumps);
        PeerEvent gone = disconnect();
        assertEquals(DisconnectReason.IDLE, gone.reason());
        assertWithin(last.plus(IDLE), TICK, gone.time(), "the idle disconnect");
    }

    @Test
    void aRemovedPeerWhoseClientKeepsSendingIsFoundByTheDumpAtItsDeadline() throws Exception {
        SimulatedPeer bob = peer(1);
        start();
        connect(bob);
        traffic(bob, 25, true);
        bob.removed = true;
        Instant removed = timers.now();
        traffic(bob, 60, true); // the client goes on, the server sends it nothing
        PeerEvent gone = disconnect();
        assertEquals(DisconnectReason.REMOVED, gone.reason());
        assertWithin(removed, IDLE.plus(TICK), gone.time(), "the removal");
    }

    @Test
    void aPeerThatOnlySendsIsDumpedAtItsDeadlinesAndStaysConnected() throws Exception {
        SimulatedPeer carol = peer(1);
        start();
        connect(carol);
        traffic(carol, 60, false); // keepalives: the server answers none
        assertTrue(dumps.size() >= 5 && dumps.size() <= 7, "about one dump an idle-timeout: " + dumps);
        assertTrue(events.stream().noneMatch(e -> e.type() == PeerEventType.DISCONNECTED), events.toString());
        assertTrue(dumps.stream().allMatch(d -> !d.isBefore(T0.plus(IDLE))), dumps.toString());
    }

    @Test
    void theKernelDatesRxGrowthSoAScanSetsNoRecheck() throws Exception {
        SimulatedPeer carol = peer(1);
        start();
        connect(carol);
        traffic(carol, 3, false);
        Instant lastPacket = timers.now();
        advanceSeconds(2);
        scan(); // another cause's scan finds the growth
        assertEquals(Optional.of(lastPacket.plus(IDLE)), deadlines.earliest(),
                "dated at the kernel's last packet, no recheck a tick later");
    }

    @Test
    void packetsBothWaysMoveADeadlineNoFurtherThanRejectAfterTimePastWhatAScanConfirmed() throws Exception {
        SimulatedPeer dave = peer(1);
        start();
        connect(dave);
        Instant connected = timers.now();
        for (int i = 0; i < 300; i++) { // times the sets show, but rx that never grows: forged or failing traffic
            advanceSeconds(1);
            dave.lastIn = timers.now();
            dave.lastOut = timers.now();
        }
        PeerEvent gone = disconnect();
        assertEquals(DisconnectReason.IDLE, gone.reason());
        assertWithin(connected.plus(PeerDeadlines.REJECT_AFTER_TIME).plus(IDLE), TICK, gone.time(),
                "the disconnect once the packets stopped counting");
    }

    @Test
    void aLookReadsOnlyTheDuePeersAndNoneWhenADueOneCannotMove() throws Exception {
        SimulatedPeer alice = peer(1);
        SimulatedPeer bob = peer(2);
        start();
        connect(alice);
        advanceSeconds(5);
        connect(bob);
        sets.reads.clear();
        traffic(alice, 5, true);
        traffic(bob, 3, true);
        assertEquals(List.of(List.of(alice.endpoint)), sets.reads, "alice's deadline only");

        SimulatedPeer erin = peer(3);
        advanceSeconds(1);
        connect(erin);
        erin.rx += 100; // growth with no kernel time: rechecked a tick later by a dump, without a read
        erin.lastIn = null;
        erin.lastOut = null;
        scan();
        sets.reads.clear();
        int dumpsBefore = dumps.size();
        advanceSeconds(1);
        assertEquals(dumpsBefore + 1, dumps.size(), "erin's recheck is a dump");
        assertEquals(List.of(), sets.reads, "and reads nothing first");
    }
}
