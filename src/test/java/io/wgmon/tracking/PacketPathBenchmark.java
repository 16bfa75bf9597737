package io.wgmon.tracking;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSourceMetrics;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.capture.nflog.NflogPacketParser;
import io.wgmon.handshake.FailedHandshakes;
import io.wgmon.handshake.HandshakeFailureMetrics;
import io.wgmon.handshake.HandshakeFailureWatch;
import io.wgmon.handshake.InitiationClassifier;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.timing.ManualTimers;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Scan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The reader thread's work for one NFLOG datagram carrying one handshake initiation (the documented rule's
 * commonest packet), step by step: splitting the datagram into netlink messages, parsing the packet
 * message, and the whole path as the reader runs it (count, emit through the Mutiny processor, PacketTriage
 * with the MAC1 classification against one interface key), for a source that is no connected peer's
 * endpoint and for one that is (a rekey). What the kernel and the wake-up cost is not here: compare with the
 * per-thread CPU of bench/reader.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketPathBenchmark {
    private static final int NFLOG_PACKET_TYPE = 4 << 8;
    private static final String INTERFACE_KEY = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";

    byte[] datagram;
    int length;
    NflogPacketParser parser;
    PacketSourceMetrics metrics;
    BroadcastProcessor<PacketEvent> events;
    PacketTriage strangerTriage;
    PacketTriage connectedTriage;
    ExecutorService scanThread;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        datagram = new byte[32 * 1024];
        length = nflogDatagram(datagram);
        parser = new NflogPacketParser(Clock.systemUTC());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics = new PacketSourceMetrics(registry, "nflog");
        scanThread = Executors.newSingleThreadExecutor();
        strangerTriage = triage(registry, Set.of());
        connectedTriage = triage(registry, Set.of(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 53772)));
        events = BroadcastProcessor.create();
        events.subscribe().with(strangerTriage::onPacket);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scanThread.shutdownNow();
    }

    @Benchmark
    public List<NetlinkMessage> splitDatagram() {
        return NetlinkMessageCodec.decode(datagram, length);
    }

    @Benchmark
    public WireGuardPacket splitAndParse() {
        return parser.parse(NetlinkMessageCodec.decode(datagram, length).get(0).payload());
    }

    /** As the reader loop runs it: split, parse, count, emit to the tracker's subscriber. */
    @Benchmark
    public void wholePathStranger() {
        for (NetlinkMessage message : NetlinkMessageCodec.decode(datagram, length)) {
            if (message.type() == NFLOG_PACKET_TYPE) {
                WireGuardPacket packet = parser.parse(message.payload());
                metrics.packet();
                events.onNext(packet);
            }
        }
    }

    /** The triage alone, of an initiation from a connected peer's endpoint: a rekey. */
    @Benchmark
    public void triageRekey(Blackhole hole) {
        WireGuardPacket packet = parser.parse(NetlinkMessageCodec.decode(datagram, length).get(0).payload());
        connectedTriage.onPacket(packet);
        hole.consume(packet);
    }

    private PacketTriage triage(SimpleMeterRegistry registry, Set<InetSocketAddress> connected) {
        ManualTimers timers = new ManualTimers();
        ScanRequests requests = new ScanRequests(new ScanCoalescer(Duration.ofMillis(250), timers, scanThread),
                scanThread);
        FailedHandshakes failed = new FailedHandshakes(Duration.ofMinutes(10));
        Scan scan = new Scan(Instant.now(), List.of(new Device("wg0", INTERFACE_KEY, 3000, 0, List.of())), List.of());
        return new PacketTriage(new LastPacketTimes(), new SessionStartTimes(), new AllPacketsRuleNotice("nflog group 1"),
                new ScanTrigger(() -> connected),
                new HandshakeFallback(timers, () -> requests.request(ScanCause.PACKET)), requests,
                new HandshakeFailureWatch(failed, new InitiationClassifier(() -> scan),
                        new HandshakeFailureMetrics(registry, failed), timers, () -> scan, "bench", events -> { }),
                new MissingRuleDiagnosis("nflog group 1", port -> "advice"));
    }

    /** nlmsghdr, nfgenmsg, then the attributes the kernel sends: packet header, timestamp, indev, payload. */
    private static int nflogDatagram(byte[] into) {
        ByteBuffer out = ByteBuffer.wrap(into).order(ByteOrder.nativeOrder());
        out.position(16);
        out.put(new byte[] {2, 0, 0, 1});
        attribute(out, 1, new byte[] {0x08, 0x00, 1, 0});
        attribute(out, 3, ByteBuffer.allocate(16).putLong(1764115000L).putLong(1234).array());
        attribute(out, 4, ByteBuffer.allocate(4).putInt(2).array());
        attribute(out, 9, ipv4Initiation());
        int length = out.position();
        out.putInt(0, length).putShort(4, (short) NFLOG_PACKET_TYPE).putShort(6, (short) 0).putInt(8, 0).putInt(12, 0);
        return length;
    }

    private static void attribute(ByteBuffer out, int type, byte[] value) {
        int length = 4 + value.length;
        out.putShort((short) length).putShort((short) type).put(value);
        out.position((out.position() + 3) & ~3);
    }

    /** IPv4 UDP 192.0.2.2:53772 -> 192.0.2.1:3000 with a whole 148-byte initiation (a mac1 that does not check). */
    private static byte[] ipv4Initiation() {
        ByteBuffer ip = ByteBuffer.allocate(20 + 8 + 148);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) 176).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {(byte) 192, 0, 2, 2}).put(new byte[] {(byte) 192, 0, 2, 1});
        ip.putShort((short) 53772).putShort((short) 3000).putShort((short) 156).putShort((short) 0);
        ip.put((byte) 1);
        byte[] rest = Base64.getDecoder().decode(INTERFACE_KEY);
        while (ip.hasRemaining()) {
            ip.put(rest[ip.position() % rest.length]);
        }
        return ip.array();
    }
}
