package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.netlink.TestAttributes;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.ThreadCapabilities;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import io.wgmon.wireguard.X25519PublicKey;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel backend against real kernel WireGuard: needs root and the wireguard module (the
 * kernel-tier VM). Runs from {@link KernelWireGuardClientLiveTest} or as a plain program:
 * {@code java -cp <test class path> io.wgmon.wireguard.KernelClientLiveCheck}, which prints
 * "KERNEL CLIENT CHECK OK" and exits 0, or prints the failure and exits 1.
 *
 * <p>Two namespaces joined by a veth: in A, kernel interface wgk0 with a private key, fwmark and
 * 150 peers of 12 allowed IPs each (the dump spans several messages and splits peers), plus an
 * empty wgk1; in B, wgk9 whose handshake with wgk0 gives one peer real counters. Every field the
 * client reads is compared with {@code wg show wgk0 dump}. Then: EPERM without CAP_NET_ADMIN,
 * ENODEV and EOPNOTSUPP, and the module unloaded under the client (its cached family id goes
 * stale; the next read looks the family up again, which makes the kernel load the module anew).
 * The reload step runs only inside the kernel-tier VM or with {@code -Dwgmon.kernel.reload=true}.
 */
public final class KernelClientLiveCheck {
    private static final int PORT = 51820;
    private static final int FAKE_PEERS = 150;
    private static final int CAP_NET_ADMIN = 12;

    private final PrintStream log;
    private final SecureRandom random = new SecureRandom();
    private final String nsA;
    private final String nsB;

    private KernelClientLiveCheck(PrintStream log) {
        this.log = log;
        String suffix = HexFormat.of().formatHex(random.generateSeed(3));
        this.nsA = "wgka-" + suffix;
        this.nsB = "wgkb-" + suffix;
    }

    public static void main(String[] args) {
        try {
            run(System.out);
            System.out.println("KERNEL CLIENT CHECK OK");
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.out.println("KERNEL CLIENT CHECK FAILED: " + t);
            System.exit(1);
        }
    }

    public static void run(PrintStream log) throws Exception {
        new KernelClientLiveCheck(log).check();
    }

    private void check() throws Exception {
        Path work = Files.createTempDirectory("wgk-check");
        try {
            byte[] privateA = key();
            byte[] privateB = key();
            String publicA = base64(X25519PublicKey.of(privateA));
            String publicB = base64(X25519PublicKey.of(privateB));
            setUp(work, privateA, privateB, publicA, publicB);

            NetNs.call(nsA, () -> {
                try (KernelWireGuardClient client = new KernelWireGuardClient(Duration.ofSeconds(20), ReplyLimits.forThisHeap())) {
                    readsWhatWgShows(client, publicA, publicB);
                    refusals(client);
                    if (mayReloadTheModule()) {
                        survivesAModuleReload(client);
                    } else {
                        log.println("module reload skipped: not in the kernel-tier VM (set -Dwgmon.kernel.reload=true)");
                        Shell.run(List.of("ip", "netns", "exec", nsA, "ip", "link", "del", "wgk1"));
                    }
                }
                return null;
            });
            NetNs.call(nsA, () -> {
                withoutNetAdmin();
                return null;
            });
        } finally {
            Shell.quietly(List.of("ip", "netns", "del", nsA));
            Shell.quietly(List.of("ip", "netns", "del", nsB));
            Shell.quietly(List.of("rm", "-rf", work.toString()));
        }
    }

    private void setUp(Path work, byte[] privateA, byte[] privateB, String publicA, String publicB) throws Exception {
        sh("ip", "netns", "add", nsA);
        sh("ip", "netns", "add", nsB);
        sh("ip", "link", "add", "vwka", "netns", nsA, "type", "veth", "peer", "name", "vwkb", "netns", nsB);
        in(nsA, "ip", "addr", "add", "192.0.2.1/24", "dev", "vwka");
        in(nsB, "ip", "addr", "add", "192.0.2.2/24", "dev", "vwkb");
        for (String[] up : new String[][] {{nsA, "vwka"}, {nsA, "lo"}, {nsB, "vwkb"}, {nsB, "lo"}}) {
            in(up[0], "ip", "link", "set", up[1], "up");
        }

        Path configA = work.resolve("wgk0.conf");
        Files.writeString(configA, configOfA(privateA, publicB));
        in(nsA, "ip", "link", "add", "wgk0", "type", "wireguard");
        in(nsA, "wg", "setconf", "wgk0", configA.toString());
        in(nsA, "ip", "addr", "add", "10.77.0.1/24", "dev", "wgk0");
        in(nsA, "ip", "link", "set", "wgk0", "up");
        in(nsA, "ip", "link", "add", "wgk1", "type", "wireguard");

        Path keyB = work.resolve("b.key");
        Files.writeString(keyB, base64(privateB) + "\n");
        in(nsB, "ip", "link", "add", "wgk9", "type", "wireguard");
        in(nsB, "wg", "set", "wgk9", "private-key", keyB.toString(), "peer", publicA,
                "endpoint", "192.0.2.1:" + PORT, "allowed-ips", "10.77.0.1/32");
        in(nsB, "ip", "addr", "add", "10.77.0.2/24", "dev", "wgk9");
        in(nsB, "ip", "link", "set", "wgk9", "up");
        in(nsB, "ping", "-c", "2", "-W", "10", "10.77.0.1");
        log.println("set up " + nsA + " (wgk0: " + (FAKE_PEERS + 1) + " peers, wgk1) and " + nsB + " (wgk9), handshake done");
    }

    private String configOfA(byte[] privateA, String publicB) {
        StringBuilder config = new StringBuilder()
                .append("[Interface]\nPrivateKey = ").append(base64(privateA))
                .append("\nListenPort = ").append(PORT).append("\nFwMark = 0x42\n\n")
                .append("[Peer]\nPublicKey = ").append(publicB).append("\nAllowedIPs = 10.77.0.2/32\n\n");
        for (int i = 0; i < FAKE_PEERS; i++) {
            config.append("[Peer]\nPublicKey = ").append(base64(key())).append('\n');
            if (i % 3 == 0) {
                config.append("PresharedKey = ").append(base64(key())).append('\n');
            }
            if (i % 4 == 1) {
                config.append("Endpoint = 198.51.100.").append(i % 250).append(':').append(1000 + i).append('\n');
            } else if (i % 4 == 2) {
                config.append("Endpoint = [2001:db8::").append(Integer.toHexString(i)).append("]:").append(2000 + i).append('\n');
            }
            if (i % 5 == 0) {
                config.append("PersistentKeepalive = ").append(10 + i).append('\n');
            }
            List<String> allowed = new ArrayList<>();
            for (int j = 0; j < 6; j++) {
                allowed.add("10." + (100 + j) + "." + i + ".0/24");
                allowed.add("fd00:" + Integer.toHexString(j + 1) + ":" + Integer.toHexString(i) + "::/64");
            }
            config.append("AllowedIPs = ").append(String.join(", ", allowed)).append("\n\n");
        }
        return config.toString();
    }

    private void readsWhatWgShows(KernelWireGuardClient client, String publicA, String publicB) throws Exception {
        assertTrue(client.moduleLoaded());
        assertEquals(List.of("wgk0", "wgk1"), client.interfaceNames());

        Device before = client.device("wgk0");
        String[] dump = Shell.run(List.of("ip", "netns", "exec", nsA, "wg", "show", "wgk0", "dump")).strip().split("\n");
        Device after = client.device("wgk0");

        String[] device = dump[0].split("\t");
        assertEquals(publicA, before.publicKey());
        assertEquals(device[1], before.publicKey());
        assertEquals(PORT, before.listenPort());
        assertEquals(Integer.parseInt(device[2]), before.listenPort());
        assertEquals("0x42", device[3]);
        assertEquals(0x42, before.fwmark());
        assertEquals(FAKE_PEERS + 1, before.peers().size());
        assertEquals(dump.length - 1, before.peers().size());
        Map<String, Peer> peersBefore = byKey(before);
        Map<String, Peer> peersAfter = byKey(after);
        int allowedIps = 0;
        for (int i = 1; i < dump.length; i++) {
            String[] f = dump[i].split("\t");
            Peer earlier = peersBefore.get(f[0]);
            Peer later = peersAfter.get(f[0]);
            assertNotNull(earlier, "peer " + f[0]);
            assertEquals(f[2], earlier.endpoint() == null ? "(none)" : earlier.endpointText(), f[0]);
            assertEquals(f[3].equals("(none)") ? List.of() : List.of(f[3].split(",")), earlier.allowedIps(), f[0]);
            assertBetween(earlier, Long.parseLong(f[4]), later,
                    p -> p.lastHandshake() == null ? 0 : p.lastHandshake().getEpochSecond());
            assertBetween(earlier, Long.parseLong(f[5]), later, Peer::rxBytes);
            assertBetween(earlier, Long.parseLong(f[6]), later, Peer::txBytes);
            assertEquals(f[7].equals("off") ? 0 : Integer.parseInt(f[7]), earlier.persistentKeepalive(), f[0]);
            assertEquals(1, earlier.protocolVersion());
            allowedIps += earlier.allowedIps().size();
        }
        Peer b = peersBefore.get(publicB);
        assertNotNull(b.lastHandshake(), "wgk9 shook hands");
        assertTrue(b.rxBytes() > 0 && b.txBytes() > 0, b.toString());
        assertEquals("192.0.2.2", b.endpoint().getAddress().getHostAddress());
        assertEquals(1 + FAKE_PEERS * 12, allowedIps);
        assertFalse(before.toString().contains(Shell.run(List.of("ip", "netns", "exec", nsA, "wg", "show", "wgk0",
                "private-key")).strip()), "no private key in the device");

        Device empty = client.device("wgk1");
        assertNull(empty.publicKey());
        assertEquals(0, empty.listenPort());
        assertEquals(List.of(), empty.peers());
        log.println("wgk0 matches wg show dump: " + before.peers().size() + " peers, " + allowedIps + " allowed IPs, "
                + rawDumpShape("wgk0"));
    }

    /**
     * Dumps the device once more with the bare netlink socket to show what the parser had to
     * handle: the reply must span several messages and continue at least one peer in the next.
     */
    private static String rawDumpShape(String name) {
        int familyId = Integer.decode(familyId());
        byte[] body = new AttributeWriter().header(new byte[] {WireGuardGenl.CMD_GET_DEVICE, WireGuardGenl.FAMILY_VERSION, 0, 0})
                .putString(WireGuardGenl.DEVICE_A_IFNAME, name).toByteArray();
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            socket.bind(0);
            List<NetlinkMessage> messages = new ArrayList<>();
            socket.exchange(familyId, Netlink.NLM_F_DUMP, body, Duration.ofSeconds(5), message -> messages.add(message.copy()));
            Map<String, Integer> messagesPerPeer = new LinkedHashMap<>();
            for (NetlinkMessage message : messages) {
                TestAttributes.parse(message.payload().position(WireGuardGenl.GENL_HEADER_LENGTH))
                        .first(WireGuardGenl.DEVICE_A_PEERS)
                        .ifPresent(peers -> peers.attributes().forEach(peer -> messagesPerPeer.merge(
                                base64(peer.attributes().first(WireGuardGenl.PEER_A_PUBLIC_KEY).orElseThrow().bytes()),
                                1, Integer::sum)));
            }
            long continued = messagesPerPeer.values().stream().filter(count -> count > 1).count();
            assertTrue(messages.size() > 1, messages.size() + " messages");
            assertTrue(continued > 0, "no peer continued in a later message");
            return "the kernel sent " + messages.size() + " messages, " + continued + " peer(s) continued across them";
        }
    }

    private void refusals(KernelWireGuardClient client) {
        WireGuardException loopback = assertThrows(WireGuardException.class, () -> client.device("lo"));
        assertEquals(Reason.NO_SUCH_DEVICE, loopback.reason());
        assertEquals("lo: not a WireGuard interface", loopback.getMessage());
        WireGuardException missing = assertThrows(WireGuardException.class, () -> client.device("wgk-none"));
        assertEquals(Reason.NO_SUCH_DEVICE, missing.reason());
        assertEquals("wgk-none: no such WireGuard interface", missing.getMessage());
        log.println("lo and a missing name: " + loopback.getMessage() + " / " + missing.getMessage());
    }

    private void survivesAModuleReload(KernelWireGuardClient client) throws Exception {
        String idBefore = familyId();
        in(nsA, "ip", "link", "del", "wgk0");
        in(nsA, "ip", "link", "del", "wgk1");
        in(nsB, "ip", "link", "del", "wgk9");
        unloadModule();
        assertFalse(Files.exists(Path.of("/sys/module/wireguard")), "the module is unloaded");

        // the cached id is stale; the lookup that follows makes the kernel load the module again
        WireGuardException gone = assertThrows(WireGuardException.class, () -> client.device("wgk0"));
        assertEquals("wgk0: no such WireGuard interface", gone.getMessage());
        String idAfter = familyId();
        log.println("module reloaded: family id " + idBefore + " -> " + idAfter);

        in(nsA, "ip", "link", "add", "wgk0", "type", "wireguard");
        assertEquals(List.of("wgk0"), client.interfaceNames());
        assertEquals(new Device("wgk0", null, 0, 0, List.of()), client.device("wgk0"));
    }

    /** Unloading the module is fine in the throwaway VM (run.sh sets KERNEL_VM_OUT), rude elsewhere. */
    private static boolean mayReloadTheModule() {
        return System.getenv("KERNEL_VM_OUT") != null || Boolean.getBoolean("wgmon.kernel.reload");
    }

    private void withoutNetAdmin() throws Exception {
        ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
        try (KernelWireGuardClient client = new KernelWireGuardClient(Duration.ofSeconds(20), ReplyLimits.forThisHeap())) {
            assertEquals(List.of("wgk0"), client.interfaceNames(), "listing needs no capability");
            WireGuardException e = assertThrows(WireGuardException.class, () -> client.device("wgk0"));
            assertEquals(Reason.PERMISSION_DENIED, e.reason());
            assertEquals("wgk0: reading a WireGuard device needs CAP_NET_ADMIN (the kernel answered EPERM)", e.getMessage());
            log.println("without CAP_NET_ADMIN: " + e.getMessage());
        }
    }

    private void unloadModule() throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                sh("rmmod", "wireguard");
                return;
            } catch (RuntimeException busy) {
                last = busy;
                Thread.sleep(200);
            }
        }
        throw last;
    }

    private static String familyId() {
        String ctrl = Shell.run(List.of("genl", "ctrl", "get", "name", "wireguard"));
        int at = ctrl.indexOf("ID:");
        return at < 0 ? "?" : ctrl.substring(at + 3).strip().split("\\s+")[0];
    }

    private static void assertBetween(Peer earlier, long middle, Peer later, ToLongFunction<Peer> field) {
        long first = field.applyAsLong(earlier);
        long last = field.applyAsLong(later);
        assertTrue(first <= middle && middle <= last, earlier.publicKey() + ": " + first + " <= " + middle + " <= " + last);
    }

    private static Map<String, Peer> byKey(Device device) {
        Map<String, Peer> peers = new LinkedHashMap<>();
        device.peers().forEach(peer -> peers.put(peer.publicKey(), peer));
        return peers;
    }

    private byte[] key() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void sh(String... argv) {
        Shell.run(List.of(argv));
    }

    private static void in(String ns, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(List.of(argv));
        Shell.run(command);
    }
}
