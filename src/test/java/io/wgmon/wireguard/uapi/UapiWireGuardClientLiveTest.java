package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The userspace backend against real wireguard-go daemons, checked against {@code wg show dump}. */
class UapiWireGuardClientLiveTest {
    private static final int LISTEN_PORT = 3000;

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "ping", "pgrep");
    }

    @Test
    void readsWhatWgShowDumpShows() throws Exception {
        try (Testbed tb = Testbed.create(LISTEN_PORT)) {
            UapiWireGuardClient client = new UapiWireGuardClient(tb.uapiDir(), Duration.ofSeconds(5), ReplyLimits.forThisHeap());
            String server = tb.serverInterface();
            Testbed.Client first = tb.addClient();
            Testbed.Client second = tb.addClient();
            tb.sh(tb.serverNs(), "wg", "set", server, "peer", first.publicKey(),
                    "allowed-ips", first.tunnelAddress() + "/32,10.20.0.0/16,fd00::2/128");
            tb.sh(tb.serverNs(), "wg", "set", server, "peer", second.publicKey(), "persistent-keepalive", "25");
            String silent = tb.addSilentPeer("10.10.10.99/32");
            tb.sh(tb.serverNs(), "wg", "set", server, "peer", silent, "endpoint", "[2001:db8::7]:51820");
            tb.ping(first);
            tb.ping(second);

            // traffic may move while wg runs: its counters must lie between two reads of ours
            Device before = client.device(server);
            String[] dump = tb.sh(tb.serverNs(), "wg", "show", server, "dump").strip().split("\n");
            Device after = client.device(server);

            String[] deviceLine = dump[0].split("\t");
            assertEquals(deviceLine[1], before.publicKey());
            assertEquals(tb.serverPublicKey(), before.publicKey());
            assertEquals(Integer.parseInt(deviceLine[2]), before.listenPort());
            assertEquals("off", deviceLine[3]);
            assertEquals(0, before.fwmark());
            assertEquals(dump.length - 1, before.peers().size());
            assertEquals(dump.length - 1, after.peers().size());
            Map<String, Peer> peersBefore = byKey(before);
            Map<String, Peer> peersAfter = byKey(after);
            for (int i = 1; i < dump.length; i++) {
                String[] f = dump[i].split("\t");
                Peer earlier = peersBefore.get(f[0]);
                Peer later = peersAfter.get(f[0]);
                assertNotNull(earlier, "peer " + f[0] + " missing in " + before);
                assertEquals(f[2], earlier.endpoint() == null ? "(none)" : earlier.endpointText(), f[0]);
                assertEquals(List.of(f[3].split(",")), earlier.allowedIps(), f[0]);
                assertBetween(earlier, Long.parseLong(f[4]), later, p -> p.lastHandshake() == null ? 0 : p.lastHandshake().getEpochSecond());
                assertBetween(earlier, Long.parseLong(f[5]), later, Peer::rxBytes);
                assertBetween(earlier, Long.parseLong(f[6]), later, Peer::txBytes);
                assertEquals(f[7].equals("off") ? 0 : Integer.parseInt(f[7]), earlier.persistentKeepalive(), f[0]);
                assertEquals(1, earlier.protocolVersion());
            }
            Instant now = Instant.now();
            for (Testbed.Client pinged : List.of(first, second)) {
                Instant handshake = peersBefore.get(pinged.publicKey()).lastHandshake();
                assertNotNull(handshake, pinged.interfaceName());
                assertTrue(Duration.between(handshake, now).abs().toSeconds() < 60, handshake.toString());
            }
            assertNull(peersBefore.get(silent).lastHandshake());
            assertEquals("[2001:db8::7]:51820", peersBefore.get(silent).endpointText());
            assertEquals(List.of("10.10.10.2/32", "10.20.0.0/16", "fd00::2/128"), peersBefore.get(first.publicKey()).allowedIps());

            assertNoPrivateKeyIn(before.toString(), tb.privateKeys());
        }
    }

    @Test
    void listsTheTestbedsInterfaces() throws Exception {
        try (Testbed tb = Testbed.create(LISTEN_PORT)) {
            Testbed.Client first = tb.addClient();
            List<String> names = new UapiWireGuardClient(tb.uapiDir(), Duration.ofSeconds(5), ReplyLimits.forThisHeap()).interfaceNames();

            assertTrue(names.contains(tb.serverInterface()), names.toString());
            assertTrue(names.contains(first.interfaceName()), names.toString());
        }
    }

    @Test
    void aKilledDaemonsSocketIsStaleAndReadsAsNotFound() throws Exception {
        try (Testbed tb = Testbed.create(LISTEN_PORT)) {
            UapiWireGuardClient client = new UapiWireGuardClient(tb.uapiDir(), Duration.ofSeconds(5), ReplyLimits.forThisHeap());
            Testbed.Client victim = tb.addClient();
            String name = victim.interfaceName();
            assertEquals(name, client.device(name).name());
            long pid = Long.parseLong(Shell.run(List.of("pgrep", "-x", "-f", "wireguard-go -f " + name)).strip());

            ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
            assertTrue(daemon.destroyForcibly(), "SIGKILL to " + pid);
            daemon.onExit().get(10, TimeUnit.SECONDS);

            Path socket = tb.uapiDir().resolve(name + ".sock");
            assertTrue(Files.exists(socket), "SIGKILL leaves the socket file behind");
            WireGuardException e = assertThrows(WireGuardException.class, () -> client.device(name));
            assertEquals(Reason.NO_SUCH_DEVICE, e.reason());
            assertTrue(e.getMessage().contains("stale") && e.getMessage().contains(socket.toString()), e.getMessage());
            assertEquals(tb.serverInterface(), client.device(tb.serverInterface()).name(), "the other daemons still answer");
        }
    }

    @Test
    void readsTenThousandPeersQuickly() throws Exception {
        try (Testbed tb = Testbed.create(LISTEN_PORT)) {
            UapiWireGuardClient client = new UapiWireGuardClient(tb.uapiDir(), Duration.ofSeconds(10), ReplyLimits.forThisHeap());
            StringBuilder config = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                byte[] key = new byte[32];
                Arrays.fill(key, (byte) 7);
                key[0] = (byte) i;
                key[1] = (byte) (i >> 8);
                config.append("[Peer]\nPublicKey = ").append(Base64.getEncoder().encodeToString(key))
                        .append("\nAllowedIPs = 10.").append(100 + (i >> 8)).append('.').append(i & 0xff)
                        .append(".0/24, fd00:").append(HexFormat.of().toHexDigits((short) i)).append("::/64\n\n");
            }
            Path file = tb.workDir().resolve("many-peers.conf");
            Files.writeString(file, config);
            tb.sh(tb.serverNs(), "wg", "addconf", tb.serverInterface(), file.toString());

            Device device = client.device(tb.serverInterface());
            assertEquals(10_000, device.peers().size());
            assertTrue(device.peers().stream().allMatch(p -> p.allowedIps().size() == 2));

            // against the C tool reading the same daemon on the same (shared, loaded) machine, best of three
            long ours = Long.MAX_VALUE;
            long wgShow = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                client.device(tb.serverInterface());
                ours = Math.min(ours, System.nanoTime() - start);
                start = System.nanoTime();
                tb.sh(tb.serverNs(), "wg", "show", tb.serverInterface(), "dump");
                wgShow = Math.min(wgShow, System.nanoTime() - start);
            }
            long oursMillis = TimeUnit.NANOSECONDS.toMillis(ours);
            long wgMillis = TimeUnit.NANOSECONDS.toMillis(wgShow);
            System.out.println("UAPI read of 10,000 peers: " + oursMillis + " ms; wg show dump: " + wgMillis + " ms");
            assertTrue(ours <= 2 * wgShow, "10,000 peers took " + oursMillis + " ms, more than twice the "
                    + wgMillis + " ms of `wg show dump`");
        }
    }

    private static Map<String, Peer> byKey(Device device) {
        Map<String, Peer> peers = new HashMap<>();
        for (Peer peer : device.peers()) {
            assertNull(peers.put(peer.publicKey(), peer), "duplicate peer " + peer.publicKey());
        }
        return peers;
    }

    private static void assertBetween(Peer earlier, long dumped, Peer later, ToLongFunction<Peer> field) {
        long low = field.applyAsLong(earlier);
        long high = field.applyAsLong(later);
        assertTrue(low <= dumped && dumped <= high,
                earlier.publicKey() + ": wg show says " + dumped + ", we read " + low + " then " + high);
    }

    private static void assertNoPrivateKeyIn(String text, List<String> privateKeys) {
        assertFalse(privateKeys.isEmpty());
        for (String key : privateKeys) {
            assertFalse(text.contains(key), "a private key leaked");
            assertFalse(text.toLowerCase().contains(HexFormat.of().formatHex(Base64.getDecoder().decode(key))),
                    "a private key leaked in hex");
        }
    }
}
