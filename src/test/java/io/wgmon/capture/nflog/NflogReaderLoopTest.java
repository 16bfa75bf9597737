package io.wgmon.capture.nflog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.capture.BackoffWithoutJitter;
import io.wgmon.capture.IpPackets;
import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSourceMetrics;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.ReaderLoop;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.os.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared reader loop driven by {@link NflogReader}, with a scripted receive step in place of the socket. */
class NflogReaderLoopTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<PacketEvent> events = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final Deque<Supplier<List<NetlinkMessage>>> script = new ArrayDeque<>();

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
    }

    @Test
    void emitsPacketsCountsLossesAndErrorsAndEndsWhenClosed() {
        script.add(() -> List.of(packet(IpPackets.IPV4_INITIATION), packet(IpPackets.IPV6_TRANSPORT)));
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.ENOBUFS); });
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EINTR); });
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EIO); });
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EIO); });
        script.add(() -> { throw NetlinkException.malformed("truncated netlink header"); });
        script.add(() -> List.of(packet(IpPackets.IPV4_TCP),
                new NetlinkMessage(NflogConfigMessages.PACKET_TYPE, 0, 0, 0, ByteBuffer.allocate(2)),
                packet(IpPackets.IPV4_INITIATION)));
        script.add(() -> { throw NetlinkException.closed(); });

        loop(delay -> true).run();

        assertEquals(4, events.size(), events.toString());
        assertEquals(MessageType.HANDSHAKE_INITIATION, assertInstanceOf(WireGuardPacket.class, events.get(0)).type());
        assertEquals(MessageType.TRANSPORT_DATA, assertInstanceOf(WireGuardPacket.class, events.get(1)).type());
        assertEquals(new PacketsLost(NOW), events.get(2));
        assertInstanceOf(WireGuardPacket.class, events.get(3));
        assertEquals(3.0, count("wgmon.packets"));
        assertEquals(1.0, count("wgmon.packets.lost"));
        assertEquals(2.0, count("wgmon.packet.source.errors"));
        assertEquals(1.0, registry.get("wgmon.packets.malformed").tag("reason", "malformed-datagram").counter().count());
        assertEquals(1.0, registry.get("wgmon.packets.malformed").tag("reason", "not-udp").counter().count());
        assertEquals(1.0, registry.get("wgmon.packets.malformed").tag("reason", "truncated-nfgenmsg").counter().count());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), pauses, "errors back off, doubling");
    }

    @Test
    void aSuccessfulReceiveResetsTheBackoff() {
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EIO); });
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EIO); });
        script.add(List::of);
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EIO); });
        script.add(() -> { throw NetlinkException.closed(); });
        loop(delay -> true).run();
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(100)), pauses);
    }

    @Test
    void stopsWhenThePauseIsCutShortByClose() {
        script.add(() -> { throw NetlinkException.systemCall("recv", Errno.EBADF); });
        script.add(() -> { throw new AssertionError("must not receive again"); });
        loop(delay -> false).run();
        assertEquals(1, pauses.size());
    }

    @Test
    void unexpectedFailuresAndFailingSubscribersDoNotEndTheLoop() {
        script.add(() -> { throw new IllegalStateException("bug"); });
        script.add(() -> List.of(packet(IpPackets.IPV4_INITIATION)));
        script.add(() -> List.of(packet(IpPackets.IPV4_INITIATION)));
        script.add(() -> { throw NetlinkException.closed(); });
        loop(event -> {
            events.add(event);
            if (events.size() == 1) {
                throw new IllegalStateException("subscriber bug");
            }
        }, this::recordPause).run();
        assertEquals(2, events.size());
        assertEquals(1.0, count("wgmon.packet.source.errors"));
    }

    /** A volumetric flood: an overrun every round for 90 s of logical time, 100 ms apart. */
    @Test
    void overrunRoundAfterRoundIsOneWarningAMinuteWithTheCount() {
        for (int round = 0; round < 900; round++) {
            script.add(() -> { throw NetlinkException.systemCall("recv", Errno.ENOBUFS); });
        }
        script.add(() -> { throw NetlinkException.closed(); });
        long[] calls = {0};
        Clock advancing = new Clock() {
            @Override
            public Instant instant() {
                return NOW.plusMillis(50 * calls[0]++); // two calls per loss: 100 ms a round
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                            : record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ReaderLoop.class.getName());
        logger.addHandler(handler);
        try {
            new ReaderLoop<>(new NflogReader(() -> script.pop().get(), "test"),
                    new NflogPacketParser(Clock.fixed(NOW, ZoneOffset.UTC)), events::add,
                    new PacketSourceMetrics(registry, "nflog"), advancing,
                    BackoffWithoutJitter.of(Duration.ofMillis(100), Duration.ofSeconds(5)), this::recordPause,
                    "nflog group 1").run();
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(900, events.size(), "every overrun still asks for a recovery scan");
        assertEquals(900.0, count("wgmon.packets.lost"));
        assertEquals(List.of("nflog group 1: receive buffer overrun, some packets were lost (ENOBUFS)",
                "nflog group 1: receive buffer overrun, some packets were lost (ENOBUFS); 600 losses since the last "
                        + "warning (one warning a minute at most)"), warnings);
    }

    private ReaderLoop<ByteBuffer> loop(ReaderLoop.Pause pause) {
        return loop(events::add, delay -> {
            pauses.add(delay);
            return pause.await(delay);
        });
    }

    private ReaderLoop<ByteBuffer> loop(Consumer<PacketEvent> subscribers, ReaderLoop.Pause pause) {
        return new ReaderLoop<>(new NflogReader(() -> script.pop().get(), "test"),
                new NflogPacketParser(Clock.fixed(NOW, ZoneOffset.UTC)), subscribers,
                new PacketSourceMetrics(registry, "nflog"), Clock.fixed(NOW, ZoneOffset.UTC),
                BackoffWithoutJitter.of(Duration.ofMillis(100), Duration.ofSeconds(5)), pause, "test");
    }

    private boolean recordPause(Duration delay) {
        pauses.add(delay);
        return true;
    }

    private double count(String name) {
        return registry.get(name).tag("source", "nflog").counter().count();
    }

    private static NetlinkMessage packet(String ipHex) {
        return new NetlinkMessage(NflogConfigMessages.PACKET_TYPE, 0, 0, 0,
                NflogFixtures.ipv4Message().payload(ipHex).build());
    }
}
