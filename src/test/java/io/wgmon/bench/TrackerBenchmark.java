package io.wgmon.bench;

import io.wgmon.tracking.ConnectionTracker;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerNames;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** One tracker step over a device where every peer is connected and its rx grew: the idle tick's work. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrackerBenchmark {
    @Param({"100", "10000"})
    int peers;

    ConnectionTracker tracker;
    Scan[] scans;
    int next;

    @Setup
    public void setUp() throws UnknownHostException {
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        tracker = new ConnectionTracker("bench", Duration.ofSeconds(180), false, PeerNames.none(),
                UUID::randomUUID, endpoint -> null, java.time.Instant.MAX);
        scans = new Scan[2];
        for (int s = 0; s < scans.length; s++) {
            List<Peer> list = new ArrayList<>(peers);
            for (int i = 0; i < peers; i++) {
                byte[] key = new byte[32];
                key[0] = (byte) i;
                key[1] = (byte) (i >> 8);
                list.add(new Peer(Base64.getEncoder().encodeToString(key),
                        new InetSocketAddress(InetAddress.getByAddress(new byte[]{10, 0, (byte) (i >> 8), (byte) i}), 51820),
                        List.of("10.1." + (i >> 8 & 255) + "." + (i & 255) + "/32"), start, 1000L * (s + 1), 500, 25, 1));
            }
            scans[s] = new Scan(start.plusSeconds(s + 1), List.of(new Device("wg0", null, 3000, 0, list)), List.of());
        }
        tracker.apply(scans[0]);
    }

    @Benchmark
    public List<PeerEvent> apply() {
        Scan scan = scans[next ^= 1];
        return tracker.apply(new Scan(scan.time().plusSeconds(next), scan.devices(), scan.failures()));
    }
}
