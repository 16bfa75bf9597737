package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.WireGuardScanner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM with a small heap by {@link BoundedReadsLiveTest}: serves a hostile UAPI
 * socket that answers {@code get=1} with an endless list of valid peers, then takes one scan over
 * it and a real wireguard-go interface, and prints what the scan saw and the heap's peak.
 *
 * <p>Arguments: hostile dir, hostile name, good dir, good name, and "heap" (the limits of this
 * heap) or "unbounded" (the old limits: 64 MiB of bytes, peers not counted).
 */
public final class HostileUapiScanMain {
    private HostileUapiScanMain() {
    }

    public static void main(String[] args) throws Exception {
        Path hostileDir = Path.of(args[0]);
        String hostile = args[1];
        Path goodDir = Path.of(args[2]);
        String good = args[3];
        ReplyLimits limits = args[4].equals("heap")
                ? ReplyLimits.forThisHeap()
                : new ReplyLimits(64L << 20, Integer.MAX_VALUE, Integer.MAX_VALUE);
        AtomicLong streamed = new AtomicLong();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(hostileDir.resolve(hostile + ".sock")));
        Thread daemon = new Thread(() -> serveEndlessPeers(server, streamed), "hostile-uapi");
        daemon.setDaemon(true);
        daemon.start();

        System.out.println("limits " + limits + " heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        long start = System.nanoTime();
        try (WireGuardScanner scanner = new WireGuardScanner(List.of(
                new UapiWireGuardClient(hostileDir, Duration.ofSeconds(30), limits),
                new UapiWireGuardClient(goodDir, Duration.ofSeconds(5), limits)),
                Optional.of(Set.of(hostile, good)), Clock.systemUTC())) {
            Scan scan = scanner.scan();
            System.out.println("elapsed " + (System.nanoTime() - start) / 1_000_000 + " ms");
            for (Scan.ScanFailure failure : scan.failures()) {
                System.out.println("failure " + failure.interfaceName() + " | " + failure.message());
            }
            for (Device device : scan.devices()) {
                System.out.println("device " + device.name() + " peers " + device.peers().size());
            }
        }
        System.out.println("streamed " + streamed.get() + " bytes");
        System.out.println("heap peak " + heapPeak() / (1 << 20) + " MiB");
    }

    private static void serveEndlessPeers(ServerSocketChannel server, AtomicLong streamed) {
        try (SocketChannel connection = server.accept()) {
            connection.read(ByteBuffer.allocate(64));
            write(connection, "private_key=" + "11".repeat(32) + "\nlisten_port=51820\n", streamed);
            StringBuilder batch = new StringBuilder();
            for (long peer = 1; ; peer++) {
                batch.append("public_key=").append(String.format("%064x", peer)).append('\n')
                        .append("endpoint=192.0.2.").append(peer % 250 + 1).append(':').append(40000 + peer % 20000).append('\n')
                        .append("last_handshake_time_sec=1700000000\nlast_handshake_time_nsec=0\n")
                        .append("rx_bytes=").append(peer).append("\ntx_bytes=").append(peer).append('\n')
                        .append("persistent_keepalive_interval=0\nprotocol_version=1\n")
                        .append("allowed_ip=10.").append(peer >> 16 & 255).append('.').append(peer >> 8 & 255)
                        .append('.').append(peer & 255).append("/32\n");
                if (peer % 64 == 0) {
                    write(connection, batch.toString(), streamed);
                    batch.setLength(0);
                }
            }
        } catch (IOException e) {
            // the client hung up: it stopped reading, as it should
        }
    }

    private static void write(SocketChannel connection, String text, AtomicLong streamed) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            streamed.addAndGet(connection.write(bytes));
        }
    }

    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
