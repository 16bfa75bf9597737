package io.wgmon.capture.nflog;

import io.wgmon.capture.IpPackets;
import io.wgmon.capture.WireGuardPacket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Parsing one NFLOG packet message: the reader thread's cost per WireGuard packet. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NflogParseBenchmark {
    ByteBuffer ipv4;
    ByteBuffer ipv6;
    final NflogPacketParser parser = new NflogPacketParser(Clock.systemUTC());

    @Setup
    public void messages() {
        ipv4 = NflogFixtures.ipv4Message().inboundInterface(2).timestamp(1764115000L, 1234)
                .prefix("wg").payload(IpPackets.IPV4_INITIATION).build();
        ipv6 = NflogFixtures.ipv6Message().inboundInterface(2).payload(IpPackets.IPV6_TRANSPORT).build();
    }

    @Benchmark
    public WireGuardPacket ipv4WithTimestamp() {
        return parser.parse(ipv4.duplicate());
    }

    @Benchmark
    public WireGuardPacket ipv6WithoutTimestamp() {
        return parser.parse(ipv6.duplicate());
    }
}
