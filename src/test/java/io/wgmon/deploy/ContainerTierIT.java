package io.wgmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The container tier: wgmon as shipped. The real image built from src/main/docker/Dockerfile.jvm
 * (both stages, on a Debian base made with mmdebstrap), then `podman kube play` of a copy of
 * deploy/kube.yaml with only test values changed, the hostNetwork pod put into a test namespace
 * with `nsenter --net`, beside wireguard-go, the nft NFLOG rule and a webhook receiver on the
 * namespace's loopback. Images are built once for all the tests; every pod is taken down with
 * `podman kube down`, also when a test fails.
 */
class ContainerTierIT {
    private static final int WGMON_UID = 10001;
    private static final Duration EVENT = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(4);
    private static final Map<String, Integer> CAPABILITY_BITS = Map.of("NET_ADMIN", 12, "NET_RAW", 13);

    private static Path work;
    private static Podman podman;
    private static ContainerImages images;

    @BeforeAll
    static void buildImages() throws IOException {
        MonitorProcess.jar();
        ContainerTools.installIfMissing("podman", "catatonit", "runc", "mmdebstrap", "jq");
        LivePrerequisites.require("podman", "catatonit", "runc", "mmdebstrap", "jq", "nsenter", "unshare",
                "wireguard-go", "wg", "nft", "setpriv");
        work = Files.createTempDirectory("wgmon-container-tier-");
        podman = Podman.withTestRuntime(work);
        images = ContainerImages.build(podman);
        System.out.printf("container tier: image %s built in %d ms, %d MB (base %s), podman %s%n",
                images.monitor(), images.buildMillis(), images.monitorBytes() / 1_000_000, ContainerImages.BASE,
                podman.run("version", "--format", "{{.Client.Version}}"));
        // the image on a full JRE was 504 MB; the jlink runtime and fast-jar make it about 180 MB
        assertTrue(images.monitorBytes() < 220_000_000L, "image size " + images.monitorBytes());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null) {
            deleteTree(work);
        }
        System.out.println("container tier: clean-up done (pods down, namespaces and host folders removed)");
    }

    /**
     * Issue 19, finding 17: no setuid or setgid file in the image, while the file capabilities of
     * wgmon-setcaps still raise NET_ADMIN (the non-root tests below check the process's capabilities).
     */
    @Test
    void theImageHoldsNoSetuidOrSetgidFile() {
        String found = podman.run("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "find",
                images.monitor(), "/", "-xdev", "-perm", "/6000", "-type", "f").strip();
        System.out.println("container tier: setuid/setgid files in the image: " + (found.isEmpty() ? "none" : found));
        assertEquals("", found, "setuid or setgid files in " + images.monitor());
    }

@Test
    void theShippedManifestReportsAConnectAndTheIdleDisconnectAsUid10001() throws Exception {
        try (Setup setup = Setup.nonRoot("nflog")) {
            setup.playAndCheck(UnaryOperator.identity(), WGMON_UID);
        }
    }

    @Test
    void bpfModeWithNetRaw() throws Exception {
        try (Setup setup = Setup.nonRoot("bpf")) {
            setup.playAndCheck(manifest -> manifest.env("WGMON_MONITOR", "bpf")
                    .env("WGMON_BPF_INTERFACE", setup.testbed.serverVeth())
                    .env("WGMON_BPF_FILTER", "udp and dst port " + setup.testbed.listenPort())
                    .addCapability("NET_RAW"), WGMON_UID);
        }
    }

    /** The README's configuration for userspace WireGuard: uid 0 (no added capability), the spool root's. */
    @Test
    void userspaceWireGuardAsTheReadmeConfiguresIt() throws Exception {
        try (Setup setup = Setup.rootOwnedUserspace()) {
            setup.playAndCheck(KubeTestManifest::runAsRoot, 0);
        }
    }

    @Test
    void anEventSpooledWhileTheReceiverIsDownIsDeliveredAfterTheReplacedPodStarts() throws Exception {
        try (Setup setup = Setup.nonRoot("nflog")) {
            int port = setup.receiver.url("/").getPort();
            Path manifest = setup.play(UnaryOperator.identity());
            setup.awaitReady();
            setup.receiver.close();
            Testbed.Client client = setup.testbed.addClient();
            setup.testbed.keepAlive(client, 1);
            setup.testbed.ping(client);
            String spooled = awaitSpooled(setup.spool, client.publicKey());
            long replace = System.nanoTime();
            podman.in(setup.testbed.serverNs()).slow("kube", "play", "--replace", manifest.toString());
            setup.receiver = WebhookReceiver.startIn(setup.testbed.serverNs(), port);
            WebhookReceiver.Delivery connected = setup.receiver.await(d -> d.is("peer.connected", client.publicKey()),
                    Duration.ofSeconds(90));
            assertNotNull(connected, "the spooled peer.connected after the pod was replaced: " + setup.logs());
            assertEquals(spooled, connected.json().get("id").asText(),
                    "the delivered event is the one spooled before the replace, not a new one of the replaced pod");
            System.out.printf("container tier: restart with spool: kube play --replace, spooled peer.connected "
                    + "delivered %d ms after the replace began%n", (System.nanoTime() - replace) / 1_000_000);
        }
    }

    /**
     * Waits until the store in {@code spool} holds an undelivered peer.connected of this peer, read
     * through a read-only connection of the test's own (as another process would); returns its event id.
     * The store's files exist from start-up on, so only a row says an event was spooled.
     */
    private static String awaitSpooled(Path spool, String publicKey) throws Exception {
        String url = "jdbc:sqlite:file:" + spool.resolve("wgmon.db") + "?mode=ro";
        long deadline = System.nanoTime() + EVENT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(spool.resolve("wgmon.db"))) {
                try (Connection connection = DriverManager.getConnection(url);
                     PreparedStatement query = connection.prepareStatement(
                             "SELECT event_id FROM delivery WHERE public_key = ? AND event_type = 'peer.connected'")) {
                    query.setString(1, publicKey);
                    try (ResultSet rows = query.executeQuery()) {
                        if (rows.next()) {
                            return rows.getString(1);
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        return fail("no peer.connected of " + publicKey + " was spooled in " + spool);
    }

    /** One pod's surroundings: WireGuard, NFLOG rule, receiver, host folders; closing takes it all down. */
    private static final class Setup implements AutoCloseable {
        final Testbed testbed;
        final Path spool;
        final Path uapiDir;
        /** How wgmon must capture: "nflog" (the test sets the NFLOG rule) or "bpf" (no NFLOG rule at all). */
        final String capture;
        final int nflogGroup = ThreadLocalRandom.current().nextInt(100, 60000);
        WebhookReceiver receiver;
        Path manifest;
        KubeTestManifest kube;

        private Setup(Testbed testbed, Path spool, Path uapiDir, String capture) throws Exception {
            this.testbed = testbed;
            this.spool = spool;
            this.uapiDir = uapiDir;
            this.capture = capture;
            try {
                if (capture.equals("nflog")) {
                    testbed.logToNflog(nflogGroup, IDLE);
                }
                receiver = WebhookReceiver.startIn(testbed.serverNs());
            } catch (Exception | Error e) {
                testbed.close();
                throw e;
            }
        }

        /**
         * wgmon as uid 10001: the server's wireguard-go runs as that uid too, with its socket in a
         * folder of the test (as kernel WireGuard, which these machines lack, would be open to it
         * through netlink); the spool folder is made as the manifest's comment says.
         */
        static Setup nonRoot(String mode) throws Exception {
            Path uapi = hostFolder("uapi", WGMON_UID, "rwxr-xr-x");
            Path spool = hostFolder("spool", WGMON_UID, "rwxr-x---");
            try {
                return new Setup(Testbed.createOwnedBy(listenPort(), uapi, WGMON_UID), spool, uapi, mode);
            } catch (Exception | Error e) {
                deleteTree(uapi);
                deleteTree(spool);
                throw e;
            }
        }

        /** wireguard-go as usual: root's, its socket srwx------ in /var/run/wireguard; the spool root's. */
        static Setup rootOwnedUserspace() throws Exception {
            Path spool = hostFolder("spool", 0, "rwx------");
            try {
                Testbed testbed = Testbed.create(listenPort());
                return new Setup(testbed, spool, testbed.uapiDir(), "nflog");
            } catch (Exception | Error e) {
                deleteTree(spool);
                throw e;
            }
        }

        Path play(UnaryOperator<KubeTestManifest> mode) throws IOException {
            kube = mode.apply(new KubeTestManifest("wgmon-it-" + testbed.id())
                    .env("WGMON_WEBHOOK_URL", receiver.url("/hook").toString())
                    .env("WGMON_NFLOG_GROUP", String.valueOf(nflogGroup))
                    .env("WGMON_WIREGUARD_INTERFACES", testbed.serverInterface())
                    .env("WGMON_TRACKING_IDLE_TIMEOUT", IDLE.toSeconds() + "s")
                    .env("WGMON_TRACKING_TICK", "1s")
                    .hostPath("wireguard-run", uapiDir)
                    .hostPath("spool", spool));
            manifest = kube.write(work);
            long start = System.nanoTime();
            podman.in(testbed.serverNs()).slow("kube", "play", manifest.toString());
            System.out.printf("container tier: pod %s started in namespace %s (kube play %d ms)%n",
                    kube.podName(), testbed.serverNs(), (System.nanoTime() - start) / 1_000_000);
            return manifest;
        }

        /** The readiness probe's own command until it passes, then podman's health check (the liveness probe). */
        void awaitReady() throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(90).toNanos();
            String container = kube.monitorContainer();
            while (true) {
                try {
                    // a hostNetwork container has no network namespace of its own: exec from the pod's
                    podman.in(testbed.serverNs()).run("exec", container, "/opt/wgmon/bin/wgmon-probe", "ready");
                    break;
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        fail("readiness probe never passed: " + notYet.getMessage() + "\n" + logs());
                    }
                    Thread.sleep(250);
                }
            }
            podman.in(testbed.serverNs()).run("healthcheck", "run", container);
            // no init containers, nothing restarting in a loop (podman 4.3 restarted init containers
            // under restartPolicy Always hundreds of times, and kube play blocked until they settled)
            JsonNode pod = podman.inspect(kube.podName());
            assertEquals(2, pod.get("Containers").size(), "the infra container and the monitor: " + pod.get("Containers"));
            assertEquals(0, podman.inspect(container).get("RestartCount").asInt(), "restarts of " + container);
            System.out.printf("container tier: readiness probe passed %d ms after kube play returned; "
                    + "podman healthcheck (liveness) healthy%n", (System.nanoTime() - start) / 1_000_000);
        }

        void playAndCheck(UnaryOperator<KubeTestManifest> mode, int uid) throws Exception {
            play(mode);
            awaitReady();
            checkProcess(uid);

            Testbed.Client client = testbed.addClient();
            long ping = System.nanoTime();
            testbed.ping(client);
            WebhookReceiver.Delivery connected = receiver.await(d -> d.is("peer.connected", client.publicKey()), EVENT);
            assertNotNull(connected, "peer.connected from the container: " + logs());
            long connectedMs = (System.nanoTime() - ping) / 1_000_000;
            long stop = System.nanoTime();
            testbed.stopClient(client);
            WebhookReceiver.Delivery disconnected = receiver.await(d -> d.is("peer.disconnected", client.publicKey()), EVENT);
            assertNotNull(disconnected, "peer.disconnected from the container: " + logs());
            assertEquals("idle", disconnected.json().get("reason").asText(), "the client stopped: an idle disconnect");
            assertEquals(capture, capturedBy(), "how the container's wgmon captured packets, from its own log");
            System.out.printf("container tier: %s monitor=%s uid %d: peer.connected %d ms after the ping, "
                            + "peer.disconnected %d ms after the client stopped (idle-timeout %d s), RSS at rest %d MiB%n",
                    kube.podName(), capturedBy(), uid, connectedMs, (System.nanoTime() - stop) / 1_000_000,
                    IDLE.toSeconds(), rssKiB() / 1024);
        }

        /** The packet source the process bound, as its start-up line says: "bpf on <if> (...): capturing" or "nflog group <n>: bound". */
        private String capturedBy() {
            String log = podman.run("logs", kube.monitorContainer());
            boolean bpf = log.contains("] bpf on ") && log.contains(": capturing ");
            boolean nflog = log.contains("] nflog group " + nflogGroup + ": bound");
            return bpf == nflog ? "unclear (bpf " + bpf + ", nflog " + nflog + ")" : bpf ? "bpf" : "nflog";
        }

        /** The container's process: the uid asked for, and exactly the capabilities the manifest adds. */
        private void checkProcess(int uid) throws IOException {
            Map<String, String> status = status();
            for (String id : status.get("Uid").split("\\s+")) {
                assertEquals(String.valueOf(uid), id, "Uid: " + status.get("Uid"));
            }
            long wanted = 0;
            for (String capability : kube.capabilities()) {
                wanted |= 1L << CAPABILITY_BITS.get(capability);
            }
            assertEquals(wanted, Long.parseLong(status.get("CapEff"), 16), "effective capabilities " + kube.capabilities());
            assertEquals(wanted, Long.parseLong(status.get("CapBnd"), 16), "bounding set: everything else dropped");
            System.out.printf("container tier: %s runs as uid %d with exactly %s (CapEff %s, CapBnd %s)%n",
                    kube.monitorContainer(), uid, kube.capabilities(), status.get("CapEff"), status.get("CapBnd"));
        }

        private long rssKiB() throws IOException {
            return Long.parseLong(status().get("VmRSS").replace("kB", "").trim());
        }

        private Map<String, String> status() throws IOException {
            JsonNode container = podman.inspect(kube.monitorContainer());
            Path file = Path.of("/proc", container.at("/State/Pid").asText(), "status");
            Map<String, String> fields = new TreeMap<>();
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
            return fields;
        }

        String logs() {
            try {
                return podman.run("logs", "--tail", "40", kube.monitorContainer());
            } catch (RuntimeException e) {
                return "(no logs: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws IOException {
            if (manifest != null) {
                podman.in(testbed.serverNs()).quietly("kube", "down", manifest.toString());
            }
            if (receiver != null) {
                receiver.close();
            }
            testbed.close();
            deleteTree(spool);
            if (!uapiDir.equals(Testbed.UAPI_DIR)) {
                deleteTree(uapiDir);
            }
            System.out.println("container tier: kube down " + (kube == null ? "(no pod)" : kube.podName())
                    + ", test bed " + testbed.id() + " and host folders removed");
        }

        private static int listenPort() {
            return ThreadLocalRandom.current().nextInt(40000, 50000);
        }

        private static Path hostFolder(String what, int owner, String mode) throws IOException {
            Path dir = Files.createTempDirectory("wgmon-" + what + "-");
            Shell.run(List.of("chown", owner + ":" + owner, dir.toString()));
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            return dir;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
