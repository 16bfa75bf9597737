package io.wgmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.MqttBroker;
import io.wgmon.testbed.MqttSubscriber;
import io.wgmon.testbed.MqttSubscriber.Message;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT sink of the packaged wgmon, live (docs/architecture.md#mqtt): Debian's mosquitto with TLS and a
 * password, wgmon in the namespaces bed with wireguard-go, its store on, a webhook receiver beside the
 * broker; wgmon and the subscriber speak MQTT 5, so every event carries its id as a user property too (MqttFleetIT
 * has a server on MQTT 3.1.1). One bed, one broker and one subscriber for the class; the tests run in order on them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttSinkIT {
    private static final Duration IDLE = Duration.ofSeconds(8);
    private static final String HOST = "mqtt-it";
    /** Generous: the figure is printed; the issue's 50 ms target belongs to a quiet machine. */
    private static final Duration LATENCY_BOUND = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_ID_PROPERTY = "wgmon-event-id";

    private static LiveBed bed;
    private static Testbed testbed;
    private static WebhookReceiver receiver;
    private static MqttBroker broker;
    private static MqttSubscriber subscriber;
    private static Path store;
    private static Map<String, String> env;
    private static MonitorProcess monitor;
    private static Testbed.Client alice;
    private static Testbed.Client bob;

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3460, "mqtt", IDLE);
        testbed = bed.testbed();
        receiver = bed.receiver();
        broker = MqttBroker.startIn(testbed.serverNs(), 18883, List.of());
        subscriber = broker.subscribe("wgmon/#", "it-" + testbed.id());
        store = Files.createTempDirectory("wgmon-mqtt-store-");
        env = bed.env(IDLE, Duration.ofSeconds(1));
        env.putAll(broker.wgmonEnv());
        env.put("WGMON_HOST", HOST);
        env.put("WGMON_MQTT_PROTOCOL", "5");
        env.put("WGMON_STORE_DIR", store.toString());
        monitor = bed.startMonitor(env);
        monitor.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (monitor != null) {
                monitor.close();
            }
            if (subscriber != null) {
                subscriber.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (store != null) {
                try (Stream<Path> files = Files.walk(store)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    private static String peerTopic(Testbed.Client client) {
        return "wgmon/" + HOST + "/" + testbed.serverInterface() + "/"
                + client.publicKey().replace('+', '-').replace('/', '_').replace("=", "");
    }

    private static JsonNode tree(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + payload, e);
        }
    }

    private static JsonNode json(Message message) {
        try {
            return JSON.readTree(message.payload());
        } catch (Exception e) {
            throw new AssertionError("not JSON on " + message.topic() + ": " + message.payload(), e);
        }
    }

    private static List<Message> events(Testbed.Client client) {
        return subscriber.all().stream().filter(m -> m.topic().equals(peerTopic(client) + "/event")).toList();
    }

    /** Under MQTT 5 the event id is a user property of the publish as well as the payload's {@code id}. */
    private static void idPropertyMatchesThePayload(List<Message> events) {
        assertTrue(!events.isEmpty(), "no events to check");
        for (Message event : events) {
            assertEquals(json(event).get("id").asText(), event.property(EVENT_ID_PROPERTY),
                    "the event id property of " + event);
        }
    }

    private static String diagnostics() throws Exception {
        return "\n---- wgmon ----\n" + monitor.log() + "\n---- mosquitto ----\n" + broker.log() + "\n---- received ----\n"
                + subscriber.all();
    }

    @Test
    @Order(1)
    void connectPublishesRetainedOnAndTheEventNearTheWebhookIdleSaysOff() throws Exception {
        try {
            assertNotNull(subscriber.await(m -> m.topic().equals("wgmon/" + HOST + "/status")
                    && m.payload().equals("online"), Duration.ofSeconds(15)), "no birth message");
            alice = testbed.addClient();
            testbed.ping(alice);
            WebhookReceiver.Delivery hook = receiver.await(d -> d.is("peer.connected", alice.publicKey()),
                    Duration.ofSeconds(10));
            assertNotNull(hook, "no webhook peer.connected");
            String id = hook.json().get("id").asText();
            Message event = subscriber.await(m -> m.topic().equals(peerTopic(alice) + "/event")
                    && json(m).get("id").asText().equals(id), Duration.ofSeconds(10));
            assertNotNull(event, "no MQTT event " + id);
            assertEquals("peer.connected", json(event).get("event").asText());
            Message on = subscriber.await(m -> m.topic().equals(peerTopic(alice) + "/state")
                    && m.payload().equals("ON"), Duration.ofSeconds(10));
            assertNotNull(on, "no state ON");
            Duration lag = Duration.between(hook.receivedAt(), event.receivedAt());
            System.out.println("MQTT: event arrived " + lag.toMillis() + " ms after the webhook (negative: before it)");
            assertTrue(lag.abs().compareTo(LATENCY_BOUND) < 0, "MQTT event " + lag.toMillis() + " ms from the webhook");

            testbed.stopClient(alice);
            assertNotNull(receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), IDLE.multipliedBy(3)),
                    "no webhook peer.disconnected");
            assertNotNull(subscriber.await(m -> m.topic().equals(peerTopic(alice) + "/state")
                    && m.payload().equals("OFF"), Duration.ofSeconds(10)), "no state OFF");
            List<String> retained = retainedStates();
            assertTrue(retained.contains(peerTopic(alice) + "/state OFF"), "retained: " + retained);
            assertEquals(2, events(alice).size(), "connect and disconnect, once each: " + events(alice));
            idPropertyMatchesThePayload(events(alice));
            System.out.println("MQTT 5: " + EVENT_ID_PROPERTY + " of alice's events: "
                    + events(alice).stream().map(m -> m.property(EVENT_ID_PROPERTY)).toList());
        } catch (AssertionError | RuntimeException e) {
            System.err.println(diagnostics());
            throw e;
        }
    }

    /** What a new subscriber of the fleet filter gets from the broker's retained store at once. */
    private static List<String> retainedStates() throws Exception {
        try (MqttSubscriber fresh = broker.subscribe("wgmon/+/+/+/state", null)) {
            Thread.sleep(1500);
            return fresh.all().stream().filter(Message::retained).map(m -> m.topic() + " " + m.payload()).toList();
        }
    }

    @Test
    @Order(2)
    void eventsDuringABrokerOutageArriveAfterItOnceEachInOrder() throws Exception {
        try {
            bob = testbed.addClient();
            broker.stop();
            Instant down = Instant.now();
            testbed.ping(bob);
            assertNotNull(receiver.await(d -> d.is("peer.connected", bob.publicKey()), Duration.ofSeconds(10)),
                    "no webhook peer.connected for bob");
            testbed.stopClient(bob);
            assertNotNull(receiver.await(d -> d.is("peer.disconnected", bob.publicKey()), IDLE.multipliedBy(3)),
                    "no webhook peer.disconnected for bob");
            long left = Duration.ofSeconds(30).minus(Duration.between(down, Instant.now())).toMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
            assertTrue(events(bob).isEmpty(), "nothing while the broker is down");
            broker.start();
            Instant up = Instant.now();
            Message disconnected = subscriber.await(m -> m.topic().equals(peerTopic(bob) + "/event")
                    && json(m).get("event").asText().equals("peer.disconnected"), Duration.ofSeconds(30));
            assertNotNull(disconnected, "no peer.disconnected for bob after the broker came back");
            System.out.println("MQTT: broker down " + Duration.between(down, up).toSeconds() + " s; bob's disconnect "
                    + "arrived " + Duration.between(up, disconnected.receivedAt()).toMillis() + " ms after its restart");
            Thread.sleep(1000);
            List<String> kinds = events(bob).stream().map(m -> json(m).get("event").asText()).toList();
            assertEquals(List.of("peer.connected", "peer.disconnected"), kinds, "once each, in order");
            List<String> hookIds = receiver.accepted().stream().filter(d -> d.json().get("peer").get("publicKey")
                    .asText().equals(bob.publicKey())).map(d -> d.json().get("id").asText()).toList();
            assertEquals(hookIds, events(bob).stream().map(m -> json(m).get("id").asText()).toList(),
                    "the same events as the webhook's");
            idPropertyMatchesThePayload(events(bob));
        } catch (AssertionError | RuntimeException e) {
            System.err.println(diagnostics());
            throw e;
        }
    }

    @Test
    @Order(3)
    void sigkillLeavesTheWillOfflineAndTheRestartSaysOnlineAndRepublishes() throws Exception {
        try {
            String status = "wgmon/" + HOST + "/status";
            int before = subscriber.all().size();
            Shell.run(List.of("kill", "-KILL", String.valueOf(monitor.pid())));
            monitor.awaitExit(Duration.ofSeconds(10));
            Message will = subscriber.await(m -> subscriber.all().indexOf(m) >= before && m.topic().equals(status)
                    && m.payload().equals("offline"), Duration.ofSeconds(15));
            assertNotNull(will, "no will 'offline' after SIGKILL");
            int afterWill = subscriber.all().size();
            monitor = bed.startMonitor(env);
            monitor.awaitReady(Duration.ofSeconds(60));
            assertNotNull(subscriber.await(m -> subscriber.all().indexOf(m) >= afterWill && m.topic().equals(status)
                    && m.payload().equals("online"), Duration.ofSeconds(15)), "no 'online' after the restart");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<String> republished = List.of();
            while (System.nanoTime() < deadline) {
                List<Message> all = subscriber.all();
                republished = all.subList(afterWill, all.size()).stream().filter(m -> m.topic().endsWith("/state"))
                        .map(m -> m.topic() + " " + m.payload()).toList();
                if (republished.stream().filter(s -> s.endsWith(" OFF")).count() >= 2) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(2, republished.stream().filter(s -> s.endsWith(" OFF")).distinct().count(),
                    "alice's and bob's states published again: " + republished);
        } catch (AssertionError | RuntimeException e) {
            System.err.println(diagnostics());
            throw e;
        }
    }

    private static final Pattern CONFIG_TOPIC =
            Pattern.compile("homeassistant/(binary_sensor|sensor)/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/config");
    private static final Pattern WGMON_TOPIC = Pattern.compile("wgmon/[^+#/\\s]+(/[^+#/\\s]+)*");

    /** Retained discovery configs as a new subscriber of the discovery prefix gets them, by topic. */
    private static Map<String, String> retainedConfigs() throws Exception {
        try (MqttSubscriber fresh = broker.subscribe("homeassistant/#", null)) {
            Thread.sleep(1500);
            Map<String, String> configs = new TreeMap<>();
            fresh.all().stream().filter(Message::retained).forEach(m -> configs.put(m.topic(), m.payload()));
            return configs;
        }
    }

    /** Configs published live (not read from the retained store), each topic once. */
    private static long republished(MqttSubscriber live) {
        return live.all().stream().filter(m -> !m.retained() && m.topic().endsWith("/config")).map(Message::topic)
                .distinct().count();
    }

    /** Home Assistant's MQTT discovery schema, the parts wgmon relies on. */
    private static void checkConfig(String topic, JsonNode config, Set<String> uniqueIds) {
        assertTrue(CONFIG_TOPIC.matcher(topic).matches(), "discovery topic characters: " + topic);
        for (String key : List.of("name", "unique_id", "state_topic", "availability", "device")) {
            assertTrue(config.hasNonNull(key), key + " missing in " + topic + ": " + config);
        }
        assertTrue(uniqueIds.add(config.get("unique_id").asText()), "unique_id used twice: " + config);
        assertTrue(config.get("unique_id").asText().matches("[A-Za-z0-9_-]+"), "unique_id characters: " + config);
        assertTrue(WGMON_TOPIC.matcher(config.get("state_topic").asText()).matches(), "state_topic: " + config);
        JsonNode availability = config.get("availability");
        assertEquals(1, availability.size(), "availability: " + config);
        assertEquals("wgmon/" + HOST + "/status", availability.get(0).get("topic").asText());
        assertEquals("online", availability.get(0).get("payload_available").asText());
        assertEquals("offline", availability.get(0).get("payload_not_available").asText());
        JsonNode device = config.get("device");
        assertTrue(device.get("identifiers").isArray() && device.get("identifiers").size() == 1, "device: " + config);
        assertTrue(device.hasNonNull("name"), "device name: " + config);
        if (topic.startsWith("homeassistant/binary_sensor/")) {
            assertEquals("connectivity", config.get("device_class").asText());
            assertEquals("ON", config.get("payload_on").asText());
            assertEquals("OFF", config.get("payload_off").asText());
            assertTrue(config.get("state_topic").asText().endsWith("/state"), "state_topic: " + config);
        } else {
            assertTrue(config.hasNonNull("value_template"), "value_template: " + config);
            assertTrue(config.get("state_topic").asText().endsWith("/attributes"), "state_topic: " + config);
        }
    }

    @Test
    @Order(4)
    void homeAssistantDiscoveryIsValidRepublishedOnItsBirthAndClearedForARemovedPeer() throws Exception {
        try {
            Map<String, String> configs = retainedConfigs();
            System.out.println("MQTT: " + configs.size() + " retained discovery configs");
            assertEquals(12, configs.size(), "6 per peer (alice, bob): " + configs.keySet());
            Set<String> uniqueIds = new HashSet<>();
            configs.forEach((topic, payload) -> checkConfig(topic, tree(payload), uniqueIds));
            assertEquals(1, configs.values().stream().map(p -> tree(p).get("device").get("identifiers")
                    .get(0).asText()).distinct().count(), "one device per host and interface");

            try (MqttSubscriber live = broker.subscribe("homeassistant/#", null)) {
                Thread.sleep(1500);
                int retainedAtStart = live.all().size();
                broker.publish("homeassistant/status", "online", false);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (republished(live) < 12 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(12, republished(live),
                        "every config again after Home Assistant's birth (" + retainedAtStart + " retained before)");
            }

            testbed.removePeer(alice);
            Testbed.Client carol = testbed.addClient();
            testbed.ping(carol); // a scan: the tracker finds alice gone and forgets her
            String aliceId = alice.publicKey().replace('+', '-').replace('/', '_').replace("=", "");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Map<String, String> after = retainedConfigs();
            // alice's clearing goes out at the scan's commit, carol's configs only after her event's row committed
            while ((after.keySet().stream().anyMatch(t -> t.contains(aliceId)) || after.size() != 12)
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
                after = retainedConfigs();
            }
            assertEquals(12, after.size(), "alice's configs cleared, bob's kept, carol's new: " + after.keySet());
            assertTrue(after.keySet().stream().noneMatch(t -> t.contains(aliceId)), "alice's configs cleared");
            assertTrue(retainedStates().stream().noneMatch(s -> s.contains(aliceId)), "alice's state cleared");
        } catch (AssertionError | RuntimeException e) {
            System.err.println(diagnostics());
            throw e;
        }
    }
}
