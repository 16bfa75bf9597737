package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
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
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parsing one kernel WG_CMD_GET_DEVICE dump (encoded as the kernel does, 16 KiB messages, u64
 * pads): the cost of every kernel scan. Lives in this package for the test-side encoder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GenlParseBenchmark {
    @Param({"10", "1000", "10000"})
    int peers;

    List<ByteBuffer> payloads;

    @Setup
    public void encode() throws UnknownHostException {
        List<Peer> list = new ArrayList<>(peers);
        for (int i = 0; i < peers; i++) {
            byte[] key = new byte[32];
            key[0] = (byte) i;
            key[1] = (byte) (i >> 8);
            list.add(new Peer(Base64.getEncoder().encodeToString(key),
                    new InetSocketAddress(InetAddress.getByAddress(new byte[]{(byte) 192, 0, (byte) (i >> 8), (byte) i}), 51820),
                    List.of("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "/32", "fd00::" + Integer.toHexString(i + 1) + "/128"),
                    Instant.ofEpochSecond(1764115000L + i), 1000L * i, 500L * i, 25, 1));
        }
        Device device = new Device("wg0", Base64.getEncoder().encodeToString(new byte[32]), 3000, 0, list);
        payloads = KernelDeviceEncoder.payloads(new KernelDeviceEncoder(16384, true, false).messages(device, 1));
    }

    @Benchmark
    public Device parse() throws WireGuardException {
        List<ByteBuffer> fresh = new ArrayList<>(payloads.size());
        for (ByteBuffer payload : payloads) {
            fresh.add(payload.duplicate());
        }
        return WireGuardGenlParser.parse("wg0", fresh);
    }
}
