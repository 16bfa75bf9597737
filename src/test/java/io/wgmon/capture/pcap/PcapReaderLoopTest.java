package io.wgmon.capture.pcap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.capture.BackoffWithoutJitter;
import io.wgmon.capture.CaptureClosedException;
import io.wgmon.capture.CaptureException;
import io.wgmon.capture.IpPackets;
import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSourceMetrics;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.ReaderLoop;
import io.wgmon.capture.WireGuardPacket;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared reader loop driven by {@link PcapReader}, with a scripted capture in place of libpcap. */
class PcapReaderLoopTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final CapturedFrame INITIATION = frame(IpPackets.IPV4_INITIATION);
    private static final CapturedFrame TRANSPORT = frame(IpPackets.IPV6_TRANSPORT);
    private static final CapturedFrame TCP = frame(IpPackets.IPV4_TCP);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<PacketEvent> events = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final ScriptedCapture capture = new ScriptedCapture();

    @Test
    void emitsPacketsSkipsUnusableFramesAndReportsDropGrowthOnce() {
        capture.wakeup(5, INITIATION, TCP, TRANSPORT);
        capture.wakeup(5);
        capture.wakeup(8, INITIATION);
        capture.wakeup(8);

        loop(5, delay -> true).run();

        assertEquals(4, events.size(), events.toString());
        assertEquals(MessageType.HANDSHAKE_INITIATION, assertInstanceOf(WireGuardPacket.class, events.get(0)).type());
        assertEquals(MessageType.TRANSPORT_DATA, assertInstanceOf(WireGuardPacket.class, events.get(1)).type());
        assertInstanceOf(WireGuardPacket.class, events.get(2));
        assertEquals(new PacketsLost(NOW), events.get(3), "drops are looked at after the waiting frames");
        assertEquals(3.0, count("wgmon.packets"));
        assertEquals(1.0, count("wgmon.packets.lost"));
        assertEquals(1.0, registry.get("wgmon.packets.malformed").tag("source", "bpf").tag("reason", "not-udp")
                .counter().count());
        assertEquals(List.of(), pauses);
    }

    @Test
    void theDropCounterMayWrap() {
        capture.wakeup(1);
        loop(0xffff_fffeL, delay -> true).run();
        assertEquals(List.of(new PacketsLost(NOW)), events);
    }

    @Test
    void readErrorsAreCountedAndBackOffUntilAReadSucceeds() {
        capture.failure(new CaptureException("pcap_next_ex: The interface went down"));
        capture.failure(new CaptureException("pcap_next_ex: The interface went down"));
        capture.failure(new IllegalStateException("a bug"));
        capture.wakeup(0, INITIATION);
        capture.failure(new CaptureException("pcap_stats: gone"));

        loop(0, delay -> true).run();

        assertEquals(1, events.size());
        assertEquals(4.0, count("wgmon.packet.source.errors"));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(100)), pauses, "errors back off, doubling; a packet resets the backoff");
    }

    @Test
    void aStopDuringThePauseEndsTheLoop() {
        capture.failure(new CaptureException("pcap_next_ex: broken"));
        capture.wakeup(0, INITIATION);
        loop(0, delay -> false).run();
        assertEquals(List.of(), events, "the loop went on reading after it was told to stop");
    }

    @Test
    void wakeUpsThatNeverBringAFramePauseInsteadOfSpinning() {
        for (int i = 0; i < ReaderLoop.EMPTY_WAKEUPS_BEFORE_PAUSE * 2; i++) {
            capture.wakeup(0);
        }
        loop(0, delay -> true).run();
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), pauses);
        assertEquals(2.0, count("wgmon.packet.source.errors"));
    }

    @Test
    void aFailingSubscriberDoesNotStopTheReader() {
        capture.wakeup(0, INITIATION, TRANSPORT);
        List<PacketEvent> delivered = new ArrayList<>();
        loop(0, event -> {
            delivered.add(event);
            throw new IllegalStateException("subscriber bug");
        }, pauses::add).run();
        assertEquals(2, delivered.size());
    }

    @Test
    void atMostABatchIsReadBeforeTheDropCounterIsLookedAt() {
        CapturedFrame[] many = new CapturedFrame[PcapReader.MAX_FRAMES_PER_WAKEUP + 1];
        java.util.Arrays.fill(many, INITIATION);
        capture.wakeup(0, many);
        capture.wakeup(0);
        loop(0, delay -> true).run();
        assertEquals(List.of(PcapReader.MAX_FRAMES_PER_WAKEUP, 1), capture.framesReadPerWakeup);
    }

    private ReaderLoop<CapturedFrame> loop(long dropsAtStart, ReaderLoop.Pause pause) {
        return loop(dropsAtStart, events::add, delay -> {
            pauses.add(delay);
            return pause.await(delay);
        });
    }

    private ReaderLoop<CapturedFrame> loop(long dropsAtStart, Consumer<PacketEvent> subscribers,
                                           ReaderLoop.Pause pause) {
        return new ReaderLoop<>(new PcapReader(capture, dropsAtStart), parser(), subscribers,
                new PacketSourceMetrics(registry, "bpf"), Clock.fixed(NOW, ZoneOffset.UTC),
                BackoffWithoutJitter.of(Duration.ofMillis(100), Duration.ofSeconds(5)), pause, "bpf on test");
    }

    private static PcapPacketParser parser() {
        return new PcapPacketParser(LinkLayer.RAW_IP, 1, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private double count(String name) {
        return registry.get(name).tag("source", "bpf").counter().count();
    }

    private static CapturedFrame frame(String hex) {
        return new CapturedFrame(NOW.getEpochSecond(), 0, ByteBuffer.wrap(IpPackets.hex(hex)));
    }

    /**
     * Each wake-up adds its frames to those still waiting (as a capture ring keeps unread frames)
     * and sets the drop count, or fails; when the script ends, the capture is closed.
     */
    private static final class ScriptedCapture implements Capture {
        private record Wakeup(List<CapturedFrame> frames, long drops, RuntimeException failure) {
        }

        private final Deque<Wakeup> script = new ArrayDeque<>();
        private final List<Integer> framesReadPerWakeup = new ArrayList<>();
        private final Deque<CapturedFrame> waiting = new ArrayDeque<>();
        private Wakeup current;

        void wakeup(long drops, CapturedFrame... frames) {
            script.add(new Wakeup(List.of(frames), drops, null));
        }

        void failure(RuntimeException failure) {
            script.add(new Wakeup(List.of(), 0, failure));
        }

        @Override
        public void awaitFrames() {
            current = script.poll();
            if (current == null) {
                throw new CaptureClosedException();
            }
            if (current.failure() != null) {
                throw current.failure();
            }
            waiting.addAll(current.frames());
            framesReadPerWakeup.add(0);
        }

        @Override
        public CapturedFrame next() {
            if (waiting.isEmpty()) {
                return null;
            }
            int last = framesReadPerWakeup.size() - 1;
            framesReadPerWakeup.set(last, framesReadPerWakeup.get(last) + 1);
            return waiting.poll();
        }

        @Override
        public long drops() {
            return current.drops();
        }
    }
}
