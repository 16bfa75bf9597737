package io.wgmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import io.wgmon.tracking.PeerEventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23's kinds live, one bed and one wgmon (the packaged app) with a store: a first connect
 * ({@code peer.first-seen}), a peer that never connects ({@code peer.stale}, stale-after shortened), a
 * client moving to a second address ({@code peer.roamed}, and no conflict for that single roam), a
 * second device with the same config ({@code peer.endpoint-conflict}), an always-on peer that stops past
 * its grace and comes back ({@code peer.down}, {@code peer.up}), a quota crossed ({@code peer.quota} once
 * per threshold) and a roaming peer's disconnect (the json receiver gets it, the chat not), each through
 * a json receiver that selected every type and a Slack-preset receiver that selected those kinds and
 * {@code peer.disconnected}; the default URL keeps today's two types, fenced by the roaming peer's last
 * event. The expectations are written into the names file while wgmon runs.
 */
class EventKindsIT {
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration STALE_AFTER = Duration.ofSeconds(20);
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration GRACE = Duration.ofSeconds(6);
    private static final int QUOTA_BYTES = 20_000;
    private static final Set<String> CHAT_TYPES = Set.of("peer.roamed", "peer.endpoint-conflict", "peer.stale",
            "peer.first-seen", "peer.down", "peer.up", "peer.quota", "peer.disconnected");

    private static LiveBed bed;
    private static Path store;
    private static Path log;
    private static Path names;

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3700, "kinds", IDLE);
        store = Files.createTempDirectory("wgmon-kinds-store");
        log = Files.createTempFile("wgmon-kinds-", ".log");
        names = Files.createTempDirectory("wgmon-kinds-names").resolve("names.txt");
        Files.writeString(names, "");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (store != null) {
                Shell.run(List.of("rm", "-rf", store.toString()));
            }
            if (log != null) {
                Files.deleteIfExists(log);
            }
            if (names != null) {
                Shell.run(List.of("rm", "-rf", names.getParent().toString()));
            }
        }
    }

    private static String receiverOf(Delivery delivery) {
        String receiver = delivery.header("X-Receiver");
        return receiver == null ? "default" : receiver;
    }

    private static boolean json(Delivery d, String receiver, String event, String key) {
        return receiverOf(d).equals(receiver) && d.is(event, key);
    }

    private static boolean chatSays(Delivery d, String text) {
        return receiverOf(d).equals("chat") && d.json().path("text").asText().contains(text);
    }

    /** Until wgmon's view of the peers shows this address: a scan saw the handshake from it. */
    private static void awaitEndpoint(MonitorProcess monitor, String address) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!monitor.get("/api/peers").body().contains("\"" + address + ":")) {
            assertTrue(Instant.now().isBefore(deadline), "wgmon never saw the endpoint " + address);
            Thread.sleep(50);
        }
    }

    /**
     * Dave is always-on (a short grace), Erin roaming, Frank under a tiny quota; the names file marks them
     * while wgmon runs.
     */
    private static void expectations(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor)
            throws Exception {
        Testbed.Client dave = testbed.addClient();
        Testbed.Client erin = testbed.addClient();
        Testbed.Client frank = testbed.addClient();
        Files.writeString(names, dave.publicKey() + " = dave [always-on grace=" + GRACE.toSeconds() + "s]\n"
                + erin.publicKey() + " = erin [roaming]\n" + frank.publicKey() + " = frank\n");
        testbed.ping(erin);
        testbed.ping(frank);
        testbed.ping(dave);
        Instant daveHandshake = Instant.now();
        // dave stops: his client forgets the server, so no packet and no handshake follow
        testbed.sh(dave.namespace(), "wg", "set", dave.interfaceName(), "peer", testbed.serverPublicKey(), "remove");
        assertNotNull(receiver.await(d -> json(d, "all", "peer.connected", erin.publicKey()), WAIT));
        testbed.removePeer(erin);

        traffic(testbed, frank);
        Delivery half = receiver.await(d -> json(d, "all", "peer.quota", frank.publicKey()), WAIT);
        assertNotNull(half, "frank past half his quota");
        assertEquals(50, half.json().get("detail").get("thresholdPercent").asInt(), half.body());
        assertEquals(QUOTA_BYTES, half.json().get("detail").get("limitBytes").asLong(), half.body());
        traffic(testbed, frank);
        Delivery full = receiver.await(d -> json(d, "all", "peer.quota", frank.publicKey())
                && d.json().get("detail").get("thresholdPercent").asInt() == 100, WAIT);
        assertNotNull(full, "frank past his whole quota");
        assertTrue(marksOf(monitor, frank.publicKey()).contains("\"quotaPercent\":100"), "the page's marks: over quota");
        assertNotNull(receiver.await(d -> chatSays(d, "frank (") && chatSays(d, "% of its quota"), WAIT),
                "the quota in the chat");
        traffic(testbed, frank);

        Delivery down = receiver.await(d -> json(d, "all", "peer.down", dave.publicKey()), WAIT);
        assertNotNull(down, "an always-on peer without a handshake for its grace is down");
        assertTrue(!down.receivedAt().isBefore(daveHandshake.plus(GRACE).minusSeconds(1)),
                "not before the grace: " + down.receivedAt() + " vs handshake " + daveHandshake);
        assertEquals(GRACE.toSeconds(), down.json().get("detail").get("graceSeconds").asLong(), down.body());
        assertNotNull(receiver.await(d -> chatSays(d, "dave (") && chatSays(d, "is down: no handshake for"), WAIT),
                "down in the chat");
        assertTrue(marksOf(monitor, dave.publicKey()).contains("\"down\":true"), "the page's marks: down");
        Thread.sleep(GRACE.toMillis());
        testbed.renewSession(dave);
        testbed.ping(dave);
        Delivery up = receiver.await(d -> json(d, "all", "peer.up", dave.publicKey()), WAIT);
        assertNotNull(up, "back: up");
        assertTrue(up.json().get("detail").get("downSeconds").asLong() >= 2 * GRACE.toSeconds() - 1, up.body());
        assertNotNull(receiver.await(d -> chatSays(d, "dave (") && chatSays(d, "is up again after"), WAIT),
                "up in the chat");
        testbed.removePeer(dave);

        assertNotNull(receiver.await(d -> json(d, "all", "peer.disconnected", erin.publicKey()), IDLE.plus(WAIT)),
                "the roaming peer's disconnect reaches the json receiver");
        assertNotNull(receiver.await(d -> receiverOf(d).equals("chat") && d.json().path("text").asText().lines()
                .anyMatch(line -> line.startsWith("dave (") && line.contains(" disconnected")), IDLE.plus(WAIT)),
                "a peer that is not roaming: its disconnect is in the chat");
        List<Delivery> all = receiver.accepted();
        assertEquals(1, all.stream().filter(d -> json(d, "all", "peer.down", dave.publicKey())).count(), "down once");
        assertEquals(2, all.stream().filter(d -> json(d, "all", "peer.quota", frank.publicKey())).count(),
                "once per threshold");
    }

    /** The status page's marks of one peer ({@code /api/expectations}), "" when it has none. */
    private static String marksOf(MonitorProcess monitor, String publicKey) throws Exception {
        for (JsonNode marks : new ObjectMapper().readTree(
                monitor.get("/api/expectations").body())) {
            if (marks.get("publicKey").asText().equals(publicKey)) {
                return marks.toString();
            }
        }
        return "";
    }

    /** About 12.5 kB through frank's tunnel, both ways: five pings of 1200 bytes. */
    private static void traffic(Testbed testbed, Testbed.Client frank) {
        testbed.sh(frank.namespace(), "ping", "-c", "5", "-i", "0.2", "-s", "1200", "-W", "3", "10.10.10.1");
    }

    @Test
    void everyKindReachesTheReceiversThatSelectedItAndNoOther() throws Exception {
        Testbed testbed = bed.testbed();
        WebhookReceiver receiver = bed.receiver();
        String silent = testbed.addSilentPeer("10.10.10.200/32");
        Map<String, String> env = bed.env(IDLE, Duration.ofSeconds(1));
        env.put("WGMON_STORE_DIR", store.toString());
        env.put("WGMON_TRACKING_STALE_AFTER", STALE_AFTER.toSeconds() + "s");
        env.put("WGMON_PEERS_NAMES", names.toString());
        String every = Arrays.stream(PeerEventType.values()).map(PeerEventType::wireName).collect(Collectors.joining(","));
        List<String> receivers = List.of(
                "-Dwgmon.webhook.receivers.all.url=" + receiver.url("/all"),
                "-Dwgmon.webhook.receivers.all.headers.X-Receiver=all",
                "-Dwgmon.webhook.receivers.all.events=" + every,
                "-Dwgmon.webhook.receivers.chat.url=" + receiver.url("/chat"),
                "-Dwgmon.webhook.receivers.chat.preset=slack",
                "-Dwgmon.webhook.receivers.chat.headers.X-Receiver=chat",
                "-Dwgmon.webhook.receivers.chat.events=" + String.join(",", CHAT_TYPES),
                "-Dwgmon.quota.frank.limit=" + QUOTA_BYTES,
                "-Dwgmon.quota.frank.period=day",
                "-Dwgmon.quota.frank.thresholds=50,100");
        Files.writeString(log, "");
        try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log, receivers)) {
            try {
                monitor.awaitReady(WAIT);
                Instant started = Instant.now();

                Testbed.Client alice = testbed.addClient();
                testbed.keepAlive(alice, 1);
                testbed.ping(alice);
                assertNotNull(receiver.await(d -> json(d, "all", "peer.first-seen", alice.publicKey()), WAIT),
                        "first-seen at the json receiver");
                assertNotNull(receiver.await(d -> json(d, "default", "peer.connected", alice.publicKey()), WAIT));
                assertNotNull(receiver.await(d -> chatSays(d, "connected for the first time"), WAIT),
                        "first-seen in the chat");

                Delivery stale = receiver.await(d -> json(d, "all", "peer.stale", silent), WAIT);
                assertNotNull(stale, "a peer that never connects is stale after stale-after");
                assertTrue(stale.json().get("detail").get("neverConnected").asBoolean());
                assertTrue(!stale.receivedAt().isBefore(started.plus(STALE_AFTER).minusSeconds(5)),
                        "not before stale-after: " + stale.receivedAt() + " vs start " + started);
                assertNotNull(receiver.await(d -> chatSays(d, "has never connected"), WAIT), "stale in the chat");

                testbed.moveClient(alice, "192.0.2.150");
                testbed.renewSession(alice);
                Instant handshake = Instant.now();
                testbed.ping(alice);
                Delivery roamed = receiver.await(d -> json(d, "all", "peer.roamed", alice.publicKey()), WAIT);
                assertNotNull(roamed, "a client that moved is reported roamed");
                JsonNode roam = roamed.json();
                assertTrue(roam.get("peer").get("endpoint").asText().startsWith("192.0.2.150:"), roam.toString());
                assertTrue(roam.get("detail").get("previousEndpoint").asText().startsWith(alice.address() + ":"),
                        roam.toString());
                System.out.printf("ROAM: peer.roamed received %d ms after the handshake from the new address%n",
                        Duration.between(handshake, roamed.receivedAt()).toMillis());
                assertNotNull(receiver.await(d -> chatSays(d, "roamed to 192.0.2.150"), WAIT), "roamed in the chat");

                Testbed.Client copy = testbed.addCopyOf(alice);
                for (int round = 0; round < 3; round++) {
                    for (Testbed.Client device : List.of(copy, alice)) {
                        testbed.renewSession(device);
                        testbed.ping(device);
                        awaitEndpoint(monitor, device == copy ? copy.address() : "192.0.2.150");
                    }
                }
                Delivery conflict = receiver.await(d -> json(d, "all", "peer.endpoint-conflict", alice.publicKey()),
                        WAIT);
                assertNotNull(conflict, "two devices with one key are a conflict");
                String endpoints = conflict.json().get("detail").get("endpoints").toString();
                assertTrue(endpoints.contains("192.0.2.150:") && endpoints.contains(copy.address() + ":"),
                        "the first conflict is between the two devices, not the single roam before: " + endpoints);
                assertTrue(conflict.json().get("detail").get("flips").asInt() >= 3, conflict.body());
                assertNotNull(receiver.await(d -> chatSays(d, "endpoints at once"), WAIT), "conflict in the chat");

                expectations(testbed, receiver, monitor);
                assertTrue(marksOf(monitor, silent).contains("\"neverConnected\":true"),
                        "the page's marks: a peer that never connected");

                testbed.removePeer(alice);
                assertNotNull(receiver.await(d -> json(d, "default", "peer.disconnected", alice.publicKey()),
                        IDLE.plus(WAIT)), "the fence: alice's last event at the default receiver");
                List<Delivery> all = receiver.accepted();
                Set<String> atDefault = all.stream().filter(d -> receiverOf(d).equals("default"))
                        .map(d -> d.header("X-Wgmon-Event")).collect(Collectors.toSet());
                assertEquals(Set.of("peer.connected", "peer.disconnected"), atDefault, "the default URL's types");
                assertFalse(all.stream().anyMatch(d -> chatSays(d, " connected from ")),
                        "the chat did not select peer.connected");
                assertEquals(1, all.stream().filter(d -> json(d, "all", "peer.endpoint-conflict",
                        alice.publicKey())).count(), "one conflict per window");
                assertFalse(all.stream().filter(d -> receiverOf(d).equals("chat"))
                                .flatMap(d -> d.json().path("text").asText().lines())
                                .anyMatch(line -> line.startsWith("erin (") && line.contains(" disconnected")),
                        "the roaming peer's disconnect is not in the chat");
            } catch (AssertionError | RuntimeException e) {
                System.err.println("---- wgmon log ----\n" + monitor.log());
                System.err.println("---- received ----\n" + receiver.all().stream()
                        .map(d -> receiverOf(d) + " " + d.header("X-Wgmon-Event") + " " + d.body())
                        .collect(Collectors.joining("\n")));
                throw e;
            }
        }
    }
}
