package io.wgmon;

import com.fasterxml.jackson.databind.JsonNode;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product, live: the packaged monitor runs inside the server namespace of a fresh
 * test bed with NFLOG on a group of its own, real wireguard-go peers connect and go away, and a
 * real HTTP receiver in the same namespace gets the webhooks.
 */
class EndToEndIT {
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration TICK = Duration.ofSeconds(1);

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    /** Runs once with NFLOG (the firewall logs the port) and once with a pcap capture on the veth. */
    @ParameterizedTest(name = "monitor={0}")
    @ValueSource(strings = {"nflog", "bpf"})
    void connectsAndDisconnectsArriveByWebhookExactlyOnce(String monitorMode) throws Exception {
        Path log = Files.createTempFile("wgmon-e2e-", ".log");
        try (Testbed testbed = Testbed.create(3000);
             WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs())) {
            Map<String, String> env = new HashMap<>();
            if (monitorMode.equals("nflog")) {
                int group = ThreadLocalRandom.current().nextInt(100, 60000);
                testbed.logToNflog(group, IDLE);
                env.put("WGMON_NFLOG_GROUP", String.valueOf(group));
            } else {
                env.put("WGMON_MONITOR", "bpf");
                env.put("WGMON_BPF_INTERFACE", testbed.serverVeth());
                env.put("WGMON_BPF_FILTER", "udp and dst port " + testbed.listenPort());
            }
            Testbed.Client alice = testbed.addClient();
            Testbed.Client bob = testbed.addClient();
            String silent = testbed.addSilentPeer("10.10.10.200/32");

            env.putAll(Map.of(
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                    "WGMON_TRACKING_IDLE_TIMEOUT", IDLE.toSeconds() + "s",
                    "WGMON_TRACKING_TICK", TICK.toSeconds() + "s",
                    "WGMON_WEBHOOK_URL", receiver.url("/hook").toString(),
                    "WGMON_WEBHOOK_RETRY_INITIAL", "200ms",
                    "WGMON_HOST", "e2e-host",
                    "QUARKUS_LOG_CATEGORY__IO_WGMON__LEVEL", "DEBUG"));
            try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log)) {
                monitor.awaitReady(Duration.ofSeconds(60));
                try {
                    run(testbed, receiver, monitor, alice, bob, silent);
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("---- wgmon log ----\n" + monitor.log());
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private void run(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor,
                     Testbed.Client alice, Testbed.Client bob, String silent) throws Exception {
        // 1. alice's first ping: one peer.connected within 2 s, with the right details.
        Instant pinged = Instant.now();
        testbed.ping(alice);
        Delivery aliceConnected = receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5));
        assertNotNull(aliceConnected, "no peer.connected for alice");
        Duration latency = Duration.between(pinged, aliceConnected.receivedAt());
        System.out.println("E2E: ping -> peer.connected received: " + latency.toMillis() + " ms");
        assertTrue(latency.compareTo(Duration.ofSeconds(2)) <= 0, "peer.connected took " + latency);
        JsonNode event = aliceConnected.json();
        assertEquals(testbed.serverInterface(), event.get("interface").asText());
        assertEquals("e2e-host", event.get("host").asText());
        assertEquals(wgShowEndpoint(testbed, alice), event.get("peer").get("endpoint").asText());
        assertTrue(event.get("peer").get("endpoint").asText().startsWith(alice.address() + ":"));
        assertEquals(List.of(alice.tunnelAddress() + "/32"), texts(event.get("peer").get("allowedIps")));
        assertEquals(aliceConnected.header("X-Wgmon-Delivery"), event.get("id").asText());
        assertEquals("peer.connected", aliceConnected.header("X-Wgmon-Event"));
        assertTrue(aliceConnected.header("Content-Type").startsWith("application/json"));
        testbed.keepAlive(alice, 1);

        // 2. bob gets his own single event, although the receiver answers 503 twice first.
        receiver.failNext(2, 503);
        testbed.ping(bob);
        Delivery bobConnected = receiver.await(d -> d.is("peer.connected", bob.publicKey()), Duration.ofSeconds(10));
        assertNotNull(bobConnected, "no peer.connected for bob after two 503s");
        testbed.keepAlive(bob, 1);
        String bobId = bobConnected.header("X-Wgmon-Delivery");
        List<Delivery> bobAttempts = receiver.all().stream()
                .filter(d -> bobId.equals(d.header("X-Wgmon-Delivery"))).toList();
        assertEquals(List.of(503, 503, 204), bobAttempts.stream().map(Delivery::status).toList(),
                "two refused attempts then one delivery, all with the same delivery id");

        // 3. removing bob as a peer: peer.disconnected with reason removed.
        testbed.removePeer(bob);
        Delivery bobRemoved = receiver.await(d -> d.is("peer.disconnected", bob.publicKey()), Duration.ofSeconds(5));
        assertNotNull(bobRemoved, "no peer.disconnected for removed bob");
        assertEquals("removed", bobRemoved.json().get("reason").asText());

        // 4. alice stops: peer.disconnected with reason idle within idle-timeout plus two ticks.
        testbed.stopClient(alice);
        Instant stopped = Instant.now();
        Duration bound = IDLE.plus(TICK.multipliedBy(2));
        Delivery aliceIdle = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()),
                bound.plusSeconds(5));
        assertNotNull(aliceIdle, "no idle disconnect for alice");
        Duration idleLatency = Duration.between(stopped, aliceIdle.receivedAt());
        System.out.println("E2E: client stopped -> peer.disconnected (idle) received: " + idleLatency.toMillis()
                + " ms (idle-timeout " + IDLE.toMillis() + " ms, tick " + TICK.toMillis() + " ms)");
        assertTrue(idleLatency.compareTo(bound) <= 0, "idle disconnect took " + idleLatency + ", bound " + bound);
        assertEquals("idle", aliceIdle.json().get("reason").asText());
        assertTrue(aliceIdle.json().get("connectedSeconds").asLong() >= 1);

        // 5. nothing else: no event for the silent peer, every event delivered exactly once. A marker
        // connect fences it: its scan reads every peer, and what wgmon had to say before it was said.
        Testbed.Client marker = testbed.addClient();
        testbed.ping(marker);
        assertNotNull(receiver.await(d -> d.is("peer.connected", marker.publicKey()), Duration.ofSeconds(10)),
                "no peer.connected for the marker client");
        List<Delivery> accepted = receiver.accepted().stream()
                .filter(d -> !d.body().contains(marker.publicKey())).toList();
        assertFalse(accepted.stream().anyMatch(d -> d.body().contains(silent)), "event for a peer that never handshook");
        assertEquals(4, accepted.size(), () -> "expected 4 deliveries: " + accepted.stream()
                .map(Delivery::body).collect(Collectors.joining("\n")));
        assertEquals(4, accepted.stream().map(d -> d.header("X-Wgmon-Delivery")).distinct().count());

        // 6. secrets never leave the process: not in logs, API bodies or webhook bodies.
        List<String> surfaces = new ArrayList<>();
        surfaces.add(monitor.log());
        surfaces.add(monitor.get("/api/peers").body());
        surfaces.add(monitor.getManagement("/q/health").body());
        surfaces.add(monitor.getManagement("/q/metrics").body());
        receiver.all().forEach(d -> surfaces.add(d.body()));
        for (String key : testbed.privateKeys()) {
            String hex = HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(key));
            for (String surface : surfaces) {
                assertFalse(surface.contains(key) || surface.contains(hex), "a private key leaked");
            }
        }
        assertTrue(monitor.get("/api/peers").body().contains(alice.publicKey()), "API lists peers");
    }

    private static String wgShowEndpoint(Testbed testbed, Testbed.Client client) {
        for (String line : testbed.sh(testbed.serverNs(), "wg", "show", testbed.serverInterface(), "endpoints")
                .split("\n")) {
            String[] fields = line.split("\t");
            if (fields[0].equals(client.publicKey())) {
                return fields[1];
            }
        }
        throw new AssertionError("wg show lists no endpoint for " + client.publicKey());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
