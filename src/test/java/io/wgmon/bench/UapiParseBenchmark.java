package io.wgmon.bench;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.uapi.UapiReplyParser;
import io.wgmon.wireguard.uapi.KnownPeers;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.DevicePublicKeys;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
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
    /** The same device with 1 % of its peers rekeyed (handshake and counters changed). */
    byte[] rekeyed;
    /** The same device, its peers in another order (wireguard-go lists them in Go map order). */
    byte[] shuffled;
    /** The same device listed in two Go-map-like orders (see {@link #goMapOrder}). */
    byte[] goMapOrderA;
    byte[] goMapOrderB;
    private boolean flip;
    private final KnownPeers known = new KnownPeers();
    /** For the reads of a whole reply: their own last read, and the two buffers the client alternates between. */
    private final KnownPeers wholeKnown = new KnownPeers();
    private byte[] buffer;
    private byte[] otherBuffer;
    private boolean wholeFlip;
    /** Kept from read to read as the client keeps them (the parse benchmarks derive the device's public key each time). */
    private final DevicePublicKeys publicKeys = new DevicePublicKeys();
    private final ReplyLimits limits = ReplyLimits.forThisHeap();

    /**
     * The benchmark thread's CPU time, beside the wall time JMH reports: on a shared machine the wall time
     * mostly measures the wait for a core. Per read: {@code cpuNanos / reads} of one iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuNanos;
        public long reads;

        long start() {
            return THREADS.getCurrentThreadCpuTime();
        }

        void end(long start) {
            cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
            reads++;
        }
    }

    @Setup
    public void makeReply() throws WireGuardException {
        reply = reply(0);
        rekeyed = reply(100);
        shuffled = shuffled(reply);
        goMapOrderA = goMapOrder(reply, 3, 1);
        goMapOrderB = goMapOrder(reply, 11, 4);
        parseAgainstKnown(reply); // the last read the next ones compare with
        buffer = new byte[rekeyed.length];
        otherBuffer = new byte[rekeyed.length];
        readWhole(reply);
    }

    /** @param rekeyedEvery every this many peers have a newer handshake and more bytes (0: none) */
    private byte[] reply(int rekeyedEvery) {
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
                    .append("last_handshake_time_sec=").append(1764115000 + i + (rekeyed(i, rekeyedEvery) ? 120 : 0)).append('\n')
                    .append("last_handshake_time_nsec=123456789\n")
                    .append("tx_bytes=").append(random.nextInt(1 << 30) + (rekeyed(i, rekeyedEvery) ? 148 : 0)).append('\n')
                    .append("rx_bytes=").append(random.nextInt(1 << 30) + (rekeyed(i, rekeyedEvery) ? 92 : 0)).append('\n')
                    .append("persistent_keepalive_interval=25\n")
                    .append("allowed_ip=10.").append((i >> 16) & 255).append('.').append((i >> 8) & 255).append('.')
                    .append(i & 255).append("/32\n")
                    .append("allowed_ip=fd00::").append(Integer.toHexString(i + 1)).append("/128\n");
        }
        text.append("errno=0\n\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The reply with its peers' blocks in a random order: no two in the order they had. */
    private static byte[] shuffled(byte[] reply) {
        Parts parts = parts(reply);
        java.util.Collections.shuffle(parts.blocks(), new Random(7));
        return parts.join(parts.blocks());
    }

    /**
     * The reply's peers as a Go map iteration lists them (wireguard-go's {@code range device.peers.keyMap}):
     * buckets of five in a fixed order, the walk starting at bucket {@code start} and at slot {@code offset}
     * within every bucket; each iteration draws both anew. Two orders so drawn keep runs within buckets.
     */
    private static byte[] goMapOrder(byte[] reply, int start, int offset) {
        Parts parts = parts(reply);
        List<String> blocks = parts.blocks();
        int buckets = (blocks.size() + 4) / 5;
        List<String> listed = new java.util.ArrayList<>(blocks.size());
        for (int b = 0; b < buckets; b++) {
            int bucket = (start + b) % buckets;
            for (int slot = 0; slot < 5; slot++) {
                int i = bucket * 5 + (offset + slot) % 5;
                if (i < blocks.size()) {
                    listed.add(blocks.get(i));
                }
            }
        }
        return parts.join(listed);
    }

    /** A reply cut into what comes before its peers, their blocks, and what comes after. */
    private record Parts(String head, List<String> blocks, String tail) {
        byte[] join(List<String> order) {
            return (head + String.join("", order) + tail).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static Parts parts(byte[] reply) {
        String text = new String(reply, StandardCharsets.US_ASCII);
        int first = text.indexOf("public_key=");
        int errno = text.lastIndexOf("errno=");
        java.util.List<String> blocks = new java.util.ArrayList<>();
        for (int at = first; at < errno; ) {
            int next = text.indexOf("public_key=", at + 1);
            int end = next < 0 || next > errno ? errno : next;
            blocks.add(text.substring(at, end));
            at = end;
        }
        return new Parts(text.substring(0, first), blocks, text.substring(errno));
    }

    private static boolean rekeyed(int peer, int every) {
        return every > 0 && peer % every == 0;
    }

    private Device parseAgainstKnown(byte[] text) throws WireGuardException {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"),
                new DevicePublicKeys(), known);
        parser.feed(text, 0, text.length);
        return parser.device();
    }

    private static byte[] bytes(Random random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    /**
     * A reply as UapiWireGuardClient reads it: received whole (copied here into the buffer of the read before
     * last, as the client's receive copies each chunk) and parsed against the last whole read.
     */
    private Device readWhole(byte[] text) throws WireGuardException {
        wholeFlip = !wholeFlip;
        byte[] into = wholeFlip ? buffer : otherBuffer;
        System.arraycopy(text, 0, into, 0, text.length);
        UapiReplyParser parser = new UapiReplyParser("wg0", limits.budget("wg0: UAPI reply"), publicKeys, wholeKnown);
        return parser.read(into, text.length);
    }

    /** A whole read of a device that did not change since the last one: each peer's block compared, not read. */
    @Benchmark
    public Device readUnchanged(Cpu cpu) throws WireGuardException {
        long start = cpu.start();
        Device device = readWhole(reply);
        cpu.end(start);
        return device;
    }

    /** Whole reads of an unchanged device whose peers come in a new order every time: each found by its key. */
    @Benchmark
    public Device readReordered(Cpu cpu) throws WireGuardException {
        flip = !flip;
        long start = cpu.start();
        Device device = readWhole(flip ? shuffled : reply);
        cpu.end(start);
        return device;
    }

    /** Whole reads of an unchanged device listed in two Go-map-like orders by turns: runs of peers kept. */
    @Benchmark
    public Device readGoMapOrder(Cpu cpu) throws WireGuardException {
        flip = !flip;
        long start = cpu.start();
        Device device = readWhole(flip ? goMapOrderA : goMapOrderB);
        cpu.end(start);
        return device;
    }

    /** Whole reads that alternate between two states 1 % of the peers apart. */
    @Benchmark
    public Device readOnePercentChanged(Cpu cpu) throws WireGuardException {
        flip = !flip;
        long start = cpu.start();
        Device device = readWhole(flip ? rekeyed : reply);
        cpu.end(start);
        return device;
    }

    /** A first read: every peer is new. */
    @Benchmark
    public Device parse() throws WireGuardException {
        return UapiReplyParser.parse("wg0", reply);
    }

    /** A read of a device that did not change since the last read: peers compared in place. */
    @Benchmark
    public Device parseUnchanged(Cpu cpu) throws WireGuardException {
        long start = cpu.start();
        Device device = parseAgainstKnown(reply);
        cpu.end(start);
        return device;
    }

    /** Reads that alternate between two states 1 % of the peers apart (rekeys between two scans). */
    @Benchmark
    public Device parseOnePercentChanged(Cpu cpu) throws WireGuardException {
        flip = !flip;
        long start = cpu.start();
        Device device = parseAgainstKnown(flip ? rekeyed : reply);
        cpu.end(start);
        return device;
    }
}
