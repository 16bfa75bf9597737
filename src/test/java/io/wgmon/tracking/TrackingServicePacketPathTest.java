package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.handshake.FailedHandshakes;
import io.wgmon.handshake.HandshakeFailureMetrics;
import io.wgmon.handshake.HandshakeFailureWatch;
import io.wgmon.handshake.InitiationClassifier;
import io.wgmon.timing.ManualTimers;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.WireGuardClient;
import io.wgmon.wireguard.WireGuardScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packet path cannot die silently: a failing packet is skipped and counted, a dead stream is reported. */
class TrackingServicePacketPathTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** Emits what the test hands it, on the test's thread, as a reader thread would. */
    private static final class HandFedSource implements PacketSource {
        final BroadcastProcessor<PacketEvent> packets = BroadcastProcessor.create();

        @Override
        public void start() {
        }

        @Override
        public Multi<PacketEvent> packets() {
            return packets;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public String describe() {
            return "hand-fed source";
        }

        @Override
        public void close() {
        }
    }

    private static final class NoInterfaces implements WireGuardClient {
        @Override
        public String backendName() {
            return "none";
        }

        @Override
        public List<String> interfaceNames() {
            return List.of();
        }

        @Override
        public Device device(String name) {
            throw new AssertionError("no interface to read");
        }
    }

    private final HandFedSource source = new HandFedSource();
    private final LastPacketTimes lastPackets = new LastPacketTimes();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TrackingView view;
    private final TrackingService service;

    /** Built as the wiring builds it, with no store and an outbox that keeps nothing. */
    TrackingServicePacketPathTest() {
        ManualTimers timers = new ManualTimers();
        WireGuardScanner scanner = new WireGuardScanner(List.of(new NoInterfaces()), Optional.empty(), Clock.systemUTC());
        ConnectionTracker tracker = new ConnectionTracker("node-1", Duration.ofSeconds(180), false,
                key -> null, UUID::randomUUID, lastPackets::lastFrom, Instant.MAX);
        view = new TrackingView(source, tracker, scanner.backendNames(), Set.of());
        TrackingMetrics metrics = new TrackingMetrics(registry, view);
        ExecutorService scanThread = Executors.newSingleThreadExecutor();
        ScanRequests requests = new ScanRequests(new ScanCoalescer(Duration.ofMillis(250), timers, scanThread),
                scanThread);
        SessionStartTimes sessionStarts = new SessionStartTimes();
        FailedHandshakes failed = new FailedHandshakes(Duration.ofMinutes(10));
        MissingRuleDiagnosis ruleDiagnosis = new MissingRuleDiagnosis(source.describe(), port -> "advice");
        PeerDeadlines deadlines = new PeerDeadlines(Duration.ofSeconds(180), Duration.ofSeconds(5),
                sessionStarts::lastFrom);
        service = new TrackingService(source, new PacketTriage(lastPackets, sessionStarts,
                new AllPacketsRuleNotice(source.describe()), new ScanTrigger(tracker::connectedEndpoints),
                new HandshakeFallback(timers, () -> requests.request(ScanCause.PACKET)), requests,
                new HandshakeFailureWatch(failed, new InitiationClassifier(view::lastScan),
                        new HandshakeFailureMetrics(registry, failed), timers, view::lastScan, "node-1", events -> { }),
                ruleDiagnosis),
                requests,
                new ScanRunner(scanner, tracker, TrackerState.none(), (events, changes) -> { }, view, metrics,
                        new ScanProblems(Set.of(), scanner.backendNames()), deadlines,
                        new EventRules(new EndpointWatch(UUID::randomUUID), new HistoryWatch("node-1",
                                PeerNames.none(), Duration.ZERO, false, UUID::randomUUID), HistoryStore.none(),
                                ExpectationRules.none()),
                        ruleDiagnosis, lastPackets::lastFrom, KnownEndpointsAfterScan.none(),
                        new ScanPacketTimes(lastPackets::lastFrom, EndpointPacketTimes.none()),
                        new DeadlineLook(deadlines, EndpointPacketTimes.none(), Optional::empty, timers::now)),
                new DeadlineTimer(timers, Duration.ofSeconds(5), deadlines::earliest,
                        () -> requests.request(ScanCause.DEADLINE)),
                new UrgentRechecks(timers, requests::recheck), view, metrics, Optional.empty(),
                new NoPacketProbe(timers, Duration.ofSeconds(5), ruleDiagnosis::packetsSeen,
                        () -> requests.request(ScanCause.PROBE)));
    }

    @AfterEach
    void close() {
        service.close();
    }

    private static WireGuardPacket packet(int sourcePort, long second) throws Exception {
        return packet(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), sourcePort), second);
    }

    private static WireGuardPacket packet(InetSocketAddress source, long second) throws Exception {
        return new WireGuardPacket(T0.plusSeconds(second), source, InetAddress.getByName("192.0.2.1"), 3000, 2, "",
                MessageType.TRANSPORT_DATA, false, null);
    }

    @Test
    void aPacketWhoseHandlingFailsIsCountedAndLaterPacketsStillArrive() throws Exception {
        service.start();
        source.packets.onNext(packet(null, 1)); // no source endpoint, which no parser makes: handling it throws
        source.packets.onNext(packet(40000, 2));
        assertEquals(1.0, registry.counter("wgmon.packet.errors").count());
        assertEquals(T0.plusSeconds(2), lastPackets.lastFrom(new InetSocketAddress("192.0.2.2", 40000)),
                "the packet after the failing one reached the tracker");
        assertNull(view.packetPathFailure());
    }

    @Test
    void aFailedPacketStreamIsReportedWithItsReason() {
        service.start();
        source.packets.onError(new IllegalStateException("socket gone"));
        assertNotNull(view.packetPathFailure());
        assertTrue(view.packetPathFailure().contains("socket gone"), view.packetPathFailure());
    }

    @Test
    void anEndedPacketStreamIsReported() {
        service.start();
        source.packets.onComplete();
        assertTrue(view.packetPathFailure().contains("ended"), view.packetPathFailure());
    }
}
