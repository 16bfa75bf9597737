package io.wgmon.bench;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.uapi.UapiReplyParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Parsing one wireguard-go `get=1` reply: the cost of every userspace scan. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UapiParseBenchmark {
    @Param({"10", "1000", "10000"})
    int peers;

    byte[] reply;

    @Setup
    public void makeReply() {
        Random random = new Random(42);
        HexFormat hex = HexFormat.of();
        StringBuilder text = new StringBuilder();
        text.append("private_key=").append(hex.formatHex(bytes(random))).append('\n')
                .append("listen_port=3000\n");
        for (int i = 0; i < peers; i++) {
            text.append("public_key=").append(hex.formatHex(bytes(random))).append('\n')
                    .append("preshared_key=").append(hex.formatHex(bytes(random))).append('\n')
                    .append("protocol_version=1\n")
                    .append("endpoint=192.0.").append((i >> 8) & 255).append('.').append(i & 255).append(":51820\n")
                    .append("last_handshake_time_sec=").append(1764115000 + i).append('\n')
                    .append("last_handshake_time_nsec=123456789\n")
                    .append("tx_bytes=").append(random.nextInt(1 << 30)).append('\n')
                    .append("rx_bytes=").append(random.nextInt(1 << 30)).append('\n')
                    .append("persistent_keepalive_interval=25\n")
                    .append("allowed_ip=10.").append((i >> 16) & 255).append('.').append((i >> 8) & 255).append('.')
                    .append(i & 255).append("/32\n")
                    .append("allowed_ip=fd00::").append(Integer.toHexString(i + 1)).append("/128\n");
        }
        text.append("errno=0\n\n");
        reply = text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(Random random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    @Benchmark
    public Device parse() throws WireGuardException {
        return UapiReplyParser.parse("wg0", reply);
    }
}
