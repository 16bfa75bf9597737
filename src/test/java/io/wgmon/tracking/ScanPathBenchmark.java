package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.DevicePublicKeys;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardClient;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardScanner;
import io.wgmon.wireguard.uapi.KnownPeers;
import io.wgmon.wireguard.uapi.UapiReplyParser;
import io.smallrye.mutiny.Multi;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole scan path of a busy server, as the scan thread runs it: a wireguard-go reply parsed against the
 * last read, the tracker, the event rules, the state and session changes, the deadlines and the rule
 * diagnosis (the store's writes and the webhooks are other threads' work). Every peer is connected; between
 * two scans {@code changedPercent} of them rekeyed (a newer handshake, more bytes), a different share each
 * time, as on a server whose peers rekey every two minutes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScanPathBenchmark {
    private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");
    private static final Duration STEP = Duration.ofMillis(5);

    @Param({"10000"})
    int peers;

    @Param({"0", "1", "100"})
    int changedPercent;

    private int nextChanged;
    private Instant now = START;
    /** The reply, its numbers at fixed width so that a rekey is written in place: nothing allocated between scans. */
    private byte[] reply;
    private int[] handshakeAt;
    private int[] rxAt;
    private long[] rx;
    private ScanRunner runner;
    private PeerDeadlines deadlines;

    @Setup
    public void setUp() {
        reply = reply();
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
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
        Duration idleTimeout = Duration.ofSeconds(180);
        deadlines = new PeerDeadlines(idleTimeout, Duration.ofSeconds(5), endpoint -> null);
        WireGuardScanner scanner = new WireGuardScanner(List.of(new CannedUapi()), Optional.empty(), clock);
        ConnectionTracker tracker = new ConnectionTracker("bench", idleTimeout, true, PeerNames.none(),
                UUID::randomUUID, endpoint -> null, START.minusSeconds(1));
        TrackingView view = new TrackingView(NO_PACKETS, tracker, scanner.backendNames(), Set.of());
        runner = new ScanRunner(scanner, tracker, new StoredTrackerState(null, idleTimeout, clock, opened -> { }),
                (events, changes) -> { }, view, new TrackingMetrics(new SimpleMeterRegistry(), view),
                new ScanProblems(Set.of(), List.of("userspace")),
                deadlines,
                new EventRules(new EndpointWatch(UUID::randomUUID), new HistoryWatch("bench", PeerNames.none(),
                        Duration.ofDays(30), true, UUID::randomUUID), HistoryStore.none(), ExpectationRules.none()),
                new MissingRuleDiagnosis("bench", port -> "advice"), endpoint -> null, KnownEndpointsAfterScan.none(),
                new ScanPacketTimes(endpoint -> null, EndpointPacketTimes.none()),
                new DeadlineLook(deadlines, EndpointPacketTimes.none(), Optional::empty, clock::instant));
        now = START.plusSeconds(1);
        runner.run(ScanCause.START); // the first read: every peer new, every peer connecting
    }

    /** The next scan: the clock moves on and the next share of the peers rekeyed, written into the reply in place. */
    @Setup(Level.Invocation)
    public void nextReply() {
        now = now.plus(STEP);
        int changed = peers * changedPercent / 100;
        for (int n = 0; n < changed; n++) {
            int i = nextChanged;
            nextChanged = (nextChanged + 1) % peers;
            digits(handshakeAt[i], 10, now.getEpochSecond());
            digits(handshakeAt[i] + 10 + "\nlast_handshake_time_nsec=".length(), 9, now.getNano());
            rx[i] += 92;
            digits(rxAt[i], 12, rx[i]);
        }
    }

    /**
     * The scan thread's CPU time, beside the wall time JMH reports: on a machine shared with other builds the
     * wall time mostly measures the wait for a core. Per scan: {@code cpuMicros / scans} of one iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuMicros;
        /** Of which the UAPI parse. */
        public long parseMicros;
        public long scans;
        /** After each scan the deadline timer asks for the earliest deadline (TrackingService): its CPU time. */
        public long earliestMicros;
    }

    private long parseNanos;

    @Benchmark
    public List<PeerEvent> scan(Cpu cpu) {
        long before = Cpu.THREADS.getCurrentThreadCpuTime();
        List<PeerEvent> events = runner.run(ScanCause.DEADLINE);
        long scanned = Cpu.THREADS.getCurrentThreadCpuTime();
        cpu.cpuMicros += (scanned - before) / 1000;
        deadlines.earliest();
        cpu.earliestMicros += (Cpu.THREADS.getCurrentThreadCpuTime() - scanned) / 1000;
        cpu.parseMicros += parseNanos / 1000;
        cpu.scans++;
        return events;
    }

    private void digits(int at, int width, long value) {
        for (int d = width - 1; d >= 0; d--) {
            reply[at + d] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private byte[] reply() {
        Random random = new Random(42);
        HexFormat hex = HexFormat.of();
        handshakeAt = new int[peers];
        rxAt = new int[peers];
        rx = new long[peers];
        StringBuilder text = new StringBuilder(peers * 330);
        text.append("listen_port=3000\n");
        for (int i = 0; i < peers; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            rx[i] = 100_000_000_000L + i;
            text.append("public_key=").append(hex.formatHex(key)).append('\n')
                    .append("protocol_version=1\n")
                    .append("endpoint=192.0.").append((i >> 8) & 255).append('.').append(i & 255).append(":51820\n")
                    .append("last_handshake_time_sec=");
            handshakeAt[i] = text.length();
            text.append(START.getEpochSecond()).append("\nlast_handshake_time_nsec=000000000\n")
                    .append("tx_bytes=100000000000\n")
                    .append("rx_bytes=");
            rxAt[i] = text.length();
            text.append(rx[i]).append('\n')
                    .append("persistent_keepalive_interval=25\n")
                    .append("allowed_ip=10.").append((i >> 16) & 255).append('.').append((i >> 8) & 255).append('.')
                    .append(i & 255).append("/32\n");
        }
        text.append("errno=0\n\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** wireguard-go's reply for one device, read as the UAPI client reads it: against the last read. */
    private final class CannedUapi implements WireGuardClient {
        private final KnownPeers known = new KnownPeers();
        private final DevicePublicKeys publicKeys = new DevicePublicKeys();
        private final byte[] first = new byte[reply.length];
        private final byte[] second = new byte[reply.length];
        private boolean flip;

        @Override
        public String backendName() {
            return "userspace";
        }

        @Override
        public List<String> interfaceNames() {
            return List.of("wg0");
        }

        @Override
        public Device device(String name) throws WireGuardException {
            long before = Cpu.THREADS.getCurrentThreadCpuTime();
            UapiReplyParser parser = new UapiReplyParser(name, ReplyLimits.forThisHeap().budget(name + ": UAPI reply"),
                    publicKeys, known);
            // received whole into the buffer the read before last used, as UapiWireGuardClient does
            flip = !flip;
            byte[] buffer = flip ? first : second;
            System.arraycopy(reply, 0, buffer, 0, reply.length);
            Device device = parser.read(buffer, reply.length);
            parseNanos = Cpu.THREADS.getCurrentThreadCpuTime() - before;
            return device;
        }
    }

    private static final PacketSource NO_PACKETS = new PacketSource() {
        @Override
        public void start() {
        }

        @Override
        public Multi<PacketEvent> packets() {
            return Multi.createFrom().empty();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public String describe() {
            return "no packets";
        }

        @Override
        public void close() {
        }
    };
}
