package io.wgmon.tracking;

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
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadline scans in logical time: a simulated WireGuard device, the real tracker, {@link PeerDeadlines}
 * and {@link DeadlineTimer} on {@link ManualTimers}; each scan the timer asks for runs at once.
 */
class PeerDeadlinesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofSeconds(1);

    /** What WireGuard would list for one peer, changed by the test as the peer acts. */
    private static final class SimulatedPeer {
        final String key;
        final InetSocketAddress endpoint;
        Instant handshake;
        long rx;

        SimulatedPeer(int n) throws Exception {
            key = String.format("%043d=", n);
            endpoint = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 40000 + n);
        }

        Peer listed() {
            return new Peer(key, endpoint, List.of(), handshake, rx, 0, 0, 1);
        }
    }

    private final ManualTimers timers = new ManualTimers(T0);
    private final Map<InetSocketAddress, Instant> packets = new HashMap<>();
    private final List<SimulatedPeer> device = new ArrayList<>();
    private final List<PeerEvent> events = new ArrayList<>();
    private final List<Instant> deadlineScans = new ArrayList<>();
    private Duration idle = IDLE;
    private ConnectionTracker tracker;
    private PeerDeadlines deadlines;
    private DeadlineTimer timer;

    private void start() {
        tracker = new ConnectionTracker("node-1", idle, false, PeerNames.none(), UUID::randomUUID,
                packets::get, T0.minusSeconds(1));
        deadlines = new PeerDeadlines(idle, TICK, packets::get);
        timer = new DeadlineTimer(timers, TICK, deadlines::earliest, () -> {
            deadlineScans.add(timers.now());
            scan();
        });
        scan();
    }

    private void scan() {
        Scan scan = new Scan(timers.now(), List.of(new Device("wg0", null, 3000, 0,
                device.stream().map(SimulatedPeer::listed).toList())), List.of());
        events.addAll(tracker.apply(scan));
        deadlines.scanned(scan.time(), tracker.changed(), tracker.removed());
        timer.rearm();
    }

    private SimulatedPeer peer(int n) throws Exception {
        SimulatedPeer peer = new SimulatedPeer(n);
        device.add(peer);
        return peer;
    }

    /** A handshake completes: WireGuard's time moves, the capture logs it, and (as the urgent scan would) a scan runs. */
    private void connect(SimulatedPeer peer) {
        handshakeLogged(peer);
        scan();
    }

    private void handshakeLogged(SimulatedPeer peer) {
        peer.handshake = timers.now();
        peer.rx += 148 + 32;
        packets.put(peer.endpoint, timers.now());
    }

    private void advanceSeconds(long seconds) {
        timers.advance(Duration.ofSeconds(seconds));
    }

    private Instant disconnectTime() {
        return events.stream().filter(e -> e.type() == PeerEventType.DISCONNECTED).map(PeerEvent::time)
                .findFirst().orElseThrow(() -> new AssertionError("no disconnect in " + events));
    }

    @Test
    void nothingIsArmedWhileNoPeerIsConnected() throws Exception {
        peer(1);
        start();
        assertFalse(timer.armed());
        advanceSeconds(3600);
        assertEquals(List.of(), deadlineScans);
    }

    @Test
    void aPeerWhoseHandshakesStopIsReportedAtItsDeadlineWithOneScan() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        advanceSeconds(3);
        connect(alice);
        Instant handshake = timers.now();
        advanceSeconds(60);
        assertEquals(List.of(handshake.plus(IDLE)), deadlineScans);
        assertEquals(handshake.plus(IDLE), disconnectTime());
        assertFalse(timer.armed(), "nothing connected, nothing armed");
    }

    @Test
    void aRekeyFromTheEndpointMovesTheDeadlineWithoutAScan() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        advanceSeconds(8);
        handshakeLogged(alice); // a rekey: logged, no scan asked for
        Instant rekey = timers.now();
        advanceSeconds(8);
        assertEquals(List.of(), deadlineScans, "the first deadline moved by the rekey");
        advanceSeconds(60);
        assertEquals(rekey.plus(IDLE), deadlineScans.get(0), "the scan at the rekey's deadline sees the new handshake");
        Instant disconnect = disconnectTime();
        assertTrue(!disconnect.isBefore(rekey.plus(IDLE)) && !disconnect.isAfter(rekey.plus(IDLE).plus(TICK)),
                "idle-timeout after the rekey, within a tick: " + disconnect);
    }

    @Test
    void theEarliestDeadlineIsFoundBehindPeersThatRekeysMovedLater() throws Exception {
        SimulatedPeer alice = peer(1);
        SimulatedPeer bob = peer(2);
        SimulatedPeer carol = peer(3);
        start();
        connect(alice);
        advanceSeconds(2);
        connect(bob);
        advanceSeconds(2);
        connect(carol);
        assertEquals(Optional.of(T0.plus(IDLE)), deadlines.earliest(), "alice's, the first connected");

        advanceSeconds(1);
        handshakeLogged(alice); // rekeys logged, no scan: each moves its peer's deadline past the next one's
        assertEquals(Optional.of(T0.plusSeconds(2).plus(IDLE)), deadlines.earliest(), "bob's, behind alice's moved one");
        advanceSeconds(1);
        handshakeLogged(bob);
        assertEquals(Optional.of(T0.plusSeconds(4).plus(IDLE)), deadlines.earliest(), "carol's, behind two moved ones");
        advanceSeconds(1);
        handshakeLogged(carol);
        assertEquals(Optional.of(T0.plusSeconds(5).plus(IDLE)), deadlines.earliest(), "alice's rekey's");
        assertEquals(List.of(), deadlineScans);
    }

    @Test
    void aRecheckOfUndatedRxGrowthIsFoundBehindAnEarlierConnectedPeer() throws Exception {
        SimulatedPeer alice = peer(1);
        SimulatedPeer bob = peer(2);
        start();
        connect(alice);
        advanceSeconds(1);
        connect(bob);
        advanceSeconds(4);
        bob.rx += 1000; // data with no handshake and nothing logged, found by the next scan
        scan();
        assertEquals(Optional.of(T0.plusSeconds(5).plus(TICK)), deadlines.earliest(),
                "bob's recheck a tick after the scan that found his growth, before alice's deadline");
    }

    @Test
    void rekeysEveryTwoMinutesCostAFewScansAnHourNotOnePerTick() throws Exception {
        idle = Duration.ofSeconds(180);
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        for (int i = 0; i < 30; i++) {
            advanceSeconds(120);
            handshakeLogged(alice);
        }
        System.out.println("DEADLINES: rekey every 120 s for an hour, idle-timeout 180 s: " + deadlineScans.size()
                + " deadline scans (a 5 s poller: 720)");
        assertTrue(events.stream().noneMatch(e -> e.type() == PeerEventType.DISCONNECTED), events.toString());
        // packets move deadlines only up to REJECT_AFTER_TIME past what a scan confirmed: one scan per few rekeys
        assertTrue(deadlineScans.size() <= 15, deadlineScans.size() + " deadline scans in an hour");
        assertTrue(deadlineScans.size() >= 5, "forgeable packets alone do not keep a peer connected: "
                + deadlineScans.size());
    }

    @Test
    void forgedPacketsFromTheEndpointDelayADisconnectByAtMostRejectAfterTime() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        Instant lastReal = timers.now();
        for (int i = 0; i < 100; i++) {
            advanceSeconds(5);
            packets.put(alice.endpoint, timers.now()); // forged: WireGuard's handshake time does not move
        }
        Instant disconnect = disconnectTime();
        System.out.println("DEADLINES: forged packets every 5 s: disconnect " + Duration.between(lastReal, disconnect)
                + " after the last real handshake");
        assertTrue(!disconnect.isAfter(lastReal.plus(PeerDeadlines.REJECT_AFTER_TIME).plus(IDLE).plus(TICK)),
                "reported at " + Duration.between(lastReal, disconnect));
    }

    @Test
    void rxGrowthThatEndsWithinATickOfTheScanThatFoundItIsDatedWithinATick() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        for (int second = 1; second <= 10; second++) {
            advanceSeconds(1);
            alice.rx += 1000; // data with no handshake and nothing logged; the deadline scan at 10 s runs first
        }
        Instant lastData = timers.now();
        advanceSeconds(60);
        Instant disconnect = disconnectTime();
        assertTrue(!disconnect.isBefore(lastData.plus(IDLE)) && !disconnect.isAfter(lastData.plus(IDLE).plus(TICK)),
                "idle-timeout after the last data, within a tick: " + Duration.between(lastData, disconnect));
    }

    @Test
    void rxGrowthThatGoesOnIsLookedAtWithDoublingSpacingAndDatedWithinItsLength() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        Instant connected = timers.now();
        for (int second = 1; second <= 30; second++) {
            advanceSeconds(1);
            alice.rx += 1000;
        }
        Instant lastData = timers.now();
        advanceSeconds(60);
        Instant disconnect = disconnectTime();
        Duration pastFirstLook = Duration.between(connected.plus(IDLE), lastData);
        System.out.println("DEADLINES: 30 s of data without handshakes, then quiet: disconnect "
                + Duration.between(lastData, disconnect).toMillis() + " ms after the last data, deadline scans at "
                + deadlineScans.stream().map(t -> Duration.between(connected, t).toSeconds()).toList() + " s");
        assertFalse(disconnect.isBefore(lastData.plus(IDLE)), "never before idle-timeout after the last data");
        assertFalse(disconnect.isAfter(lastData.plus(IDLE).plus(pastFirstLook)),
                "late by at most how long the data went on past the scan that found it: "
                        + Duration.between(lastData, disconnect));
        assertTrue(deadlineScans.size() <= 8, deadlineScans.size() + " scans: spacing doubles while data flows");
    }

    @Test
    void aPeerThatKeepsSendingAndRekeyingCostsAScanPerIdleTimeoutAtMostNotOnePerTick() throws Exception {
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        Instant lastHandshake = timers.now();
        for (int second = 1; second <= 3600; second++) {
            advanceSeconds(1);
            alice.rx += 1000; // data every second
            if (second % 120 == 0) {
                handshakeLogged(alice); // WireGuard rekeys a session that carries data every 2 minutes
                lastHandshake = timers.now();
            }
        }
        Instant lastData = timers.now();
        int scansWhileSending = deadlineScans.size();
        System.out.println("DEADLINES: data every second and a rekey every 120 s for an hour, idle-timeout " + idle.toSeconds()
                + " s, tick 1 s: " + scansWhileSending + " deadline scans (one per tick: 3,600)");
        assertTrue(events.stream().noneMatch(e -> e.type() == PeerEventType.DISCONNECTED), events.toString());
        // at most one per idle-timeout, plus the doubling steps after each rekey dates the traffic
        assertTrue(scansWhileSending <= 3600 / idle.toSeconds() + 30 * 4, scansWhileSending + " deadline scans in an hour");
        advanceSeconds(600);
        Instant disconnect = disconnectTime();
        assertFalse(disconnect.isBefore(lastData.plus(idle)), "never before idle-timeout after the last data");
        assertFalse(disconnect.isAfter(lastHandshake.plus(PeerDeadlines.REJECT_AFTER_TIME).plus(idle).plus(TICK)),
                "within REJECT_AFTER_TIME + idle-timeout + tick after the last handshake: "
                        + Duration.between(lastHandshake, disconnect));
    }

    @Test
    void atTheDefaultIdleTimeoutAPeerThatKeepsSendingCostsAScanEveryFewSessions() throws Exception {
        idle = Duration.ofSeconds(180);
        aPeerThatKeepsSendingAndRekeyingCostsAScanPerIdleTimeoutAtMostNotOnePerTick();
        assertTrue(deadlineScans.size() <= 30, deadlineScans.size() + " deadline scans in an hour and ten minutes");
    }

    @Test
    void aPeerWhoseHandshakesStopIsReportedWithinRejectAfterTimePlusIdleTimeoutWhateverItsRxDid() throws Exception {
        idle = Duration.ofSeconds(600); // longer than REJECT_AFTER_TIME: the first look comes after the keys expired
        SimulatedPeer alice = peer(1);
        start();
        connect(alice);
        Instant handshake = timers.now();
        for (int second = 1; second <= 170; second++) {
            advanceSeconds(1);
            alice.rx += 1000; // data under the session's keys, no rekey
        }
        Instant lastData = timers.now();
        advanceSeconds(1800);
        Instant disconnect = disconnectTime();
        System.out.println("DEADLINES: 170 s of data after one handshake, idle-timeout 600 s: disconnect "
                + Duration.between(handshake, disconnect).toSeconds() + " s after the handshake, deadline scans at "
                + deadlineScans.stream().map(t -> Duration.between(handshake, t).toSeconds()).toList() + " s");
        assertFalse(disconnect.isBefore(lastData.plus(idle)), "never before idle-timeout after the last data");
        assertFalse(disconnect.isAfter(handshake.plus(PeerDeadlines.REJECT_AFTER_TIME).plus(idle).plus(TICK)),
                "within REJECT_AFTER_TIME + idle-timeout + tick after the handshake: " + Duration.between(handshake, disconnect));
    }

    @Test
    void manyDeadlinesFallingDueTogetherCostOneScanPerTick() throws Exception {
        List<SimulatedPeer> peers = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            peers.add(peer(n));
        }
        start();
        for (SimulatedPeer peer : peers) {
            timers.advance(Duration.ofMillis(10)); // 200 connects within 2 s
            connect(peer);
        }
        advanceSeconds(60);
        assertEquals(200, events.stream().filter(e -> e.type() == PeerEventType.DISCONNECTED).count());
        for (int i = 1; i < deadlineScans.size(); i++) {
            assertFalse(deadlineScans.get(i).isBefore(deadlineScans.get(i - 1).plus(TICK)), deadlineScans.toString());
        }
        System.out.println("DEADLINES: 200 peers idle within 2 s: " + deadlineScans.size() + " deadline scans at "
                + deadlineScans);
        assertTrue(deadlineScans.size() <= 3, deadlineScans.size() + " deadline scans for 200 peers idle within 2 s");
    }
}
