package io.wgmon.kerneltier;

import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.wireguard.kernel.KernelClientLiveCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs inside the kernel-tier VM (see {@link KernelTierIT}) on real kernel WireGuard. First the
 * kernel backend must read exactly what `wg show dump` prints ({@link KernelClientLiveCheck}),
 * then the packaged wgmon runs with backend=kernel and NFLOG, next to a peer that handshook
 * before it started, and must report one new peer's connect and its idle disconnect by webhook,
 * and nothing else. Prints PASS/FAIL lines; the exit code is the number of failures.
 */
public final class KernelTierHarness {
    private static final Duration IDLE = Duration.ofSeconds(5);
    private final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        KernelTierHarness harness = new KernelTierHarness();
        try {
            harness.run();
        } catch (Throwable t) {
            harness.fail("harness crashed: " + t);
            t.printStackTrace(System.out);
        }
        System.out.println(harness.failures.isEmpty() ? "KERNEL TIER: ALL PASSED"
                : "KERNEL TIER: " + harness.failures.size() + " FAILED " + harness.failures);
        System.exit(harness.failures.size());
    }

    private void run() throws Exception {
        try {
            KernelClientLiveCheck.run(System.out);
            pass("kernel scan matches `wg show dump` field by field (KernelClientLiveCheck)");
        } catch (AssertionError | Exception e) {
            e.printStackTrace(System.out);
            fail("kernel client check: " + e);
        }
        try (Testbed testbed = Testbed.create(3000, Testbed.Kind.KERNEL)) {
            Testbed.Client alice = testbed.addClient();
            testbed.ping(alice);
            connectAndDisconnectEndToEnd(testbed);
        }
    }

    private void connectAndDisconnectEndToEnd(Testbed testbed) throws Exception {
        int group = 77;
        testbed.logToNflog(group, IDLE);
        Path log = Files.createTempFile("wgmon-kernel-", ".log");
        try (WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs());
             MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), Map.of(
                     "WGMON_NFLOG_GROUP", String.valueOf(group),
                     "WGMON_WIREGUARD_BACKEND", "kernel",
                     "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                     "WGMON_TRACKING_IDLE_TIMEOUT", IDLE.toSeconds() + "s",
                     "WGMON_TRACKING_TICK", "1s",
                     // under emulation on a loaded host one request can take longer than the 5 s
                     // default, and a timed-out attempt that did arrive is sent again
                     "WGMON_WEBHOOK_CONNECT_TIMEOUT", "30s",
                     "WGMON_WEBHOOK_REQUEST_TIMEOUT", "60s",
                     "WGMON_WEBHOOK_URL", receiver.url("/hook").toString()), log)) {
            Instant launched = Instant.now();
            monitor.awaitReady(Duration.ofMinutes(8));  // a JVM start under TCG on a loaded host: 1-4 min
            System.out.println("wgmon ready in the VM after " + Duration.between(launched, Instant.now()).toSeconds() + " s");
            check(monitor.getManagement("/q/health/ready").body().contains("kernel"), "readiness names the kernel backend");
            Testbed.Client carol = testbed.addClient();
            Instant pinged = Instant.now();
            testbed.ping(carol);
            WebhookReceiver.Delivery connected = receiver.await(
                    d -> d.is("peer.connected", carol.publicKey()), Duration.ofSeconds(60));
            if (connected == null) {
                fail("no peer.connected for the new kernel peer\n" + monitor.log());
                return;
            }
            pass("peer.connected by webhook " + Duration.between(pinged, connected.receivedAt()).toMillis()
                    + " ms after the first ping (under emulation)");
            check(connected.json().get("peer").get("endpoint").asText().startsWith(carol.address() + ":"),
                    "endpoint of the connect event");
            testbed.stopClient(carol);
            Instant stopped = Instant.now();
            WebhookReceiver.Delivery idle = receiver.await(
                    d -> d.is("peer.disconnected", carol.publicKey()), Duration.ofSeconds(90));
            if (idle == null) {
                fail("no peer.disconnected for the stopped kernel peer\n" + monitor.log());
                return;
            }
            check("idle".equals(idle.json().get("reason").asText()), "reason idle");
            pass("peer.disconnected (" + idle.json().get("reason").asText() + ") by webhook "
                    + Duration.between(stopped, idle.receivedAt()).toMillis() + " ms after the client stopped (idle-timeout "
                    + IDLE.toMillis() + " ms)");
            check(receiver.accepted().size() == 2, "exactly two deliveries, got " + receiver.accepted().size()
                    + describe(receiver.accepted()) + "\n" + monitor.log());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String describe(List<WebhookReceiver.Delivery> deliveries) {
        StringBuilder text = new StringBuilder();
        for (WebhookReceiver.Delivery d : deliveries) {
            text.append("\n  ").append(d.receivedAt()).append(' ').append(d.status()).append(' ').append(d.body());
        }
        return text.toString();
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            fail(what);
        }
    }

    private void fail(String what) {
        failures.add(what);
        System.out.println("FAIL " + what);
    }

    private static void pass(String what) {
        System.out.println("PASS " + what);
    }
}
