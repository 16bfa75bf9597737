package io.wgmon.handshake;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.capture.InitiationBytes;
import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.timing.ManualTimers;
import io.wgmon.tracking.EventDetail;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watch as the wiring builds it, fed packets by hand, in logical time; mac1 from mac1-vectors.txt. */
class HandshakeFailureWatchTest {
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    private final ManualTimers timers = new ManualTimers(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FailedHandshakes failed = new FailedHandshakes(Duration.ofMinutes(10));
    private final List<PeerEvent> published = new ArrayList<>();
    private Scan scan;
    private final HandshakeFailureWatch watch = new HandshakeFailureWatch(failed, new InitiationClassifier(() -> scan),
            new HandshakeFailureMetrics(registry, failed), timers, () -> scan, "node-1", published::addAll);
    private final String serverKey;
    private final byte[] validInitiation;

    HandshakeFailureWatchTest() throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("mac1-vectors.txt")), StandardCharsets.US_ASCII))) {
            String[] first = reader.readLine().split(" ");
            serverKey = first[0];
            validInitiation = HexFormat.of().parseHex(first[1] + first[2]);
        }
    }

    private void scanned(String publicKey) {
        scan = new Scan(timers.now(), List.of(new Device("wg0", publicKey, 51820, 0, List.of()),
                new Device("wg1", null, 51821, 0, List.of())), List.of());
    }

    private WireGuardPacket packet(String source, MessageType type, boolean sessionStart, byte[] initiation)
            throws Exception {
        return new WireGuardPacket(timers.now(), new InetSocketAddress(InetAddress.getByName(source), 40000),
                InetAddress.getByName("192.0.2.1"), 51820, 2, "", type, sessionStart,
                initiation == null ? null : new InitiationBytes(initiation));
    }

    private WireGuardPacket initiation(String source, byte[] bytes) throws Exception {
        return packet(source, MessageType.HANDSHAKE_INITIATION, false, bytes);
    }

    private double failedCount(String mac1) {
        return registry.get("wgmon.handshakes.failed").tag("class", mac1).counter().count();
    }

    @Test
    void anInitiationWithAValidMac1AndNoSessionIsOneEventOnItsInterface() throws Exception {
        scanned(serverKey);
        watch.onPacket(initiation("198.51.100.7", validInitiation));
        timers.advance(Duration.ofSeconds(4));
        assertEquals(List.of(), published);
        timers.advance(Duration.ofSeconds(1));
        assertEquals(1, published.size());
        PeerEvent event = published.get(0);
        assertEquals(PeerEventType.HANDSHAKE_FAILED, event.type());
        assertEquals("wg0", event.interfaceName());
        assertFalse(event.aboutPeer());
        EventDetail.HandshakeFailed detail = (EventDetail.HandshakeFailed) event.detail();
        assertEquals("198.51.100.7:40000", detail.source());
        assertEquals(1, detail.initiations());
        assertEquals(1, detail.validMac1());
        assertEquals(0, detail.invalidMac1());
        assertEquals(1.0, failedCount("valid"));
        assertEquals(1.0, registry.get("wgmon.handshakes.failed.sources").gauge().value());
    }

    @Test
    void aMac1ForAnotherKeyOrAnInitiationNotWholeIsInvalid() throws Exception {
        scanned("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        watch.onPacket(initiation("198.51.100.7", validInitiation));
        watch.onPacket(initiation("198.51.100.8", null));
        timers.advance(Duration.ofSeconds(5));
        assertEquals(2, published.size());
        for (PeerEvent event : published) {
            EventDetail.HandshakeFailed detail = (EventDetail.HandshakeFailed) event.detail();
            assertEquals(0, detail.validMac1());
            assertEquals(1, detail.invalidMac1());
        }
        assertEquals(2.0, failedCount("invalid"));
    }

    @Test
    void beforeAnyScanTheMac1CannotBeChecked() throws Exception {
        watch.onPacket(initiation("198.51.100.7", validInitiation));
        timers.advance(Duration.ofSeconds(5));
        EventDetail.HandshakeFailed detail = (EventDetail.HandshakeFailed) published.get(0).detail();
        assertEquals(1, detail.initiations());
        assertEquals(0, detail.validMac1() + detail.invalidMac1());
        assertEquals("port 51820", published.get(0).interfaceName(), "no scan: no interface known for the port");
        assertEquals(1.0, failedCount("unchecked"));
    }

    @Test
    void aSessionsFirstPacketOrAResponseOrAScanClearsTheSource() throws Exception {
        scanned(serverKey);
        watch.onPacket(initiation("198.51.100.7", validInitiation));
        watch.onPacket(packet("198.51.100.7", MessageType.TRANSPORT_DATA, true, null));
        watch.onPacket(initiation("198.51.100.8", validInitiation));
        watch.onPacket(packet("198.51.100.8", MessageType.HANDSHAKE_RESPONSE, false, null));
        watch.onPacket(initiation("198.51.100.9", validInitiation));
        watch.connected(InetAddress.getByName("198.51.100.9"));
        timers.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), published);
        assertEquals(List.of(), timers.pending(), "nothing tracked, no timer");
    }

    @Test
    void ordinaryDataDoesNotClearAndLostPacketsDo() throws Exception {
        scanned(serverKey);
        watch.onPacket(initiation("198.51.100.7", validInitiation));
        watch.onPacket(packet("198.51.100.7", MessageType.TRANSPORT_DATA, false, null));
        timers.advance(Duration.ofSeconds(5));
        assertEquals(1, published.size(), "ordinary data is no completed handshake");
        watch.onPacket(initiation("198.51.100.8", validInitiation));
        watch.onPacket(new PacketsLost(timers.now()));
        timers.advance(Duration.ofSeconds(5));
        assertEquals(1, published.size());
    }

    @Test
    void aNewSourceIsReportedAfterTheGraceWhileAnotherWaitsForItsWindowsEnd() throws Exception {
        scanned(serverKey);
        watch.onPacket(initiation("198.51.100.7", validInitiation));
        timers.advance(Duration.ofSeconds(5));
        assertEquals(1, published.size());
        timers.advance(Duration.ofSeconds(60));
        watch.onPacket(initiation("198.51.100.8", validInitiation));
        timers.advance(Duration.ofSeconds(5));
        assertEquals(2, published.size(), "not held back until the first source's window ends");
        assertEquals(1, timers.pending().stream().count(), "one timer at a time");
    }

    @Test
    void oneTimerAtATimeAndNoneAfterClose() throws Exception {
        scanned(serverKey);
        for (int i = 0; i < 100; i++) {
            watch.onPacket(initiation("198.51.100." + i, validInitiation));
        }
        assertEquals(1, timers.pending().size());
        watch.close();
        timers.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), published);
        assertTrue(timers.pending().isEmpty());
    }
}
