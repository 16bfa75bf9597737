package io.wgmon.delivery.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.config.WgmonConfig;
import io.wgmon.delivery.Await;
import io.wgmon.delivery.LogCapture;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.queue.MemoryDeliveryStore;
import io.wgmon.delivery.queue.ReceiverContexts;
import io.wgmon.store.StoreTransaction;
import io.wgmon.testbed.MqttBroker;
import io.wgmon.testbed.MqttSubscriber;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.VertxTimers;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input at the broker, against Debian's mosquitto (TLS, password): an unreachable broker, a wrong
 * password, a certificate from a CA wgmon does not trust and a broker that requires a client certificate wgmon
 * does not have each give one WARN line naming the cause, then retries with backoff; the event waits (pending)
 * and, for the unreachable broker, arrives once it is up. With the client certificate it is delivered.
 */
class MqttBadBrokerLiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Several attempts fit in it: only the first is a WARN. */
    private static final Duration RETRYING = Duration.ofSeconds(4);

    private static Vertx vertx;
    private static MqttBroker broker;
    private final List<MqttSink> sinks = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        broker = MqttBroker.startIn(null, freePort(), List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @AfterEach
    void closeSinks() {
        sinks.forEach(MqttSink::close);
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> settings(int port) {
        Map<String, String> settings = new HashMap<>();
        broker.wgmonEnv().forEach((key, value) ->
                settings.put(key.toLowerCase().replace("wgmon_mqtt_", "wgmon.mqtt.").replace('_', '-'), value));
        settings.put("wgmon.mqtt.port", String.valueOf(port));
        settings.put("wgmon.mqtt.retry-initial", "200ms");
        // at most 2 s apart (at least 1 s with jitter): the 10th attempt, which logs again by design, comes
        // after the 4 s of RETRYING; with 800ms it could come within them
        settings.put("wgmon.mqtt.retry-max", "2s");
        settings.put("wgmon.mqtt.discovery", "false");
        return settings;
    }

    private MqttSink sink(Map<String, String> settings) {
        return sink(settings, new SimpleMeterRegistry());
    }

    private MqttSink sink(Map<String, String> settings, MeterRegistry registry) {
        WgmonConfig.Mqtt mqtt = TestWgmonConfig.of(settings).mqtt();
        MqttTopics topics = new MqttTopics(mqtt.topicPrefix(), "bad-input");
        Executor context = ReceiverContexts.on(vertx).create();
        MqttOptions options = MqttOptions.of(mqtt, "bad-input-" + sinks.size(), topics, context, vertx);
        MqttSink sink = new MqttSink(new MemoryDeliveryStore(10), topics, new StateMessages(topics, PeerNames.none()),
                context, listener -> new MqttLink(options, new Backoff(mqtt.retryInitial(), mqtt.retryMax(),
                        new Random()), new VertxTimers(vertx, Clock.systemUTC()), context, listener), Optional.empty(),
                registry, options.label());
        sinks.add(sink);
        return sink;
    }

    /** Starts the sink with one event waiting; returns the WARN lines of the link after several attempts. */
    private List<String> failing(MqttSink sink, PeerEvent event) throws InterruptedException {
        try (LogCapture log = LogCapture.warningsOf(MqttLink.class)) {
            sink.offer(event, new StoreTransaction());
            sink.start(List::of);
            Await.until("a failed connect logged", WAIT, () -> !log.warnings().isEmpty());
            Thread.sleep(RETRYING.toMillis());
            assertEquals(1, sink.pending(), "the event waits");
            return log.warnings();
        }
    }

    @Test
    void anUnreachableBrokerIsOneLineThenTheEventArrivesWhenItIsUp() throws Exception {
        int port = freePort();
        try (MqttBroker late = MqttBroker.startIn(null, port, List.of());
             MqttSubscriber subscriber = late.subscribe("wgmon/#", "bad-input-subscriber")) {
            Thread.sleep(1000); // its persistent session exists: the broker keeps what arrives while it reconnects
            late.stop();
            Map<String, String> settings = settings(port);
            settings.put("wgmon.mqtt.ca-file", late.dir().resolve("ca.pem").toString());
            settings.put("wgmon.mqtt.password-file", late.dir().resolve("password").toString());
            PeerEvent event = TestEvents.connected();
            MqttSink sink = sink(settings);
            List<String> lines = failing(sink, event);
            System.out.println("MQTT bad input: " + lines);
            assertEquals(1, lines.size(), "one line: " + lines);
            assertTrue(lines.get(0).contains("connection refused or unreachable"), lines.get(0));
            late.start();
            Await.until("the event acknowledged", WAIT, () -> sink.pending() == 0);
            assertNotNull(subscriber.await(m -> m.topic().endsWith("/event")
                    && m.payload().contains(event.id().toString()), WAIT), "the event after the broker came up");
        }
    }

    @Test
    void aWrongPasswordIsOneLineAndTheEventWaits() throws Exception {
        Map<String, String> settings = settings(broker.port());
        settings.remove("wgmon.mqtt.password-file");
        settings.put("wgmon.mqtt.password", "not-the-password");
        List<String> lines = failing(sink(settings), TestEvents.connected());
        System.out.println("MQTT bad input: " + lines);
        assertEquals(1, lines.size(), "one line: " + lines);
        // mosquitto answers a wrong password with "not authorized" (CONNACK 5), others with 4
        assertTrue(lines.get(0).contains("not authorized") || lines.get(0).contains("user name or password"),
                lines.get(0));
        assertFalse(lines.get(0).contains("not-the-password"), "never the password: " + lines.get(0));
    }

    @Test
    void aBrokerRequiringAClientCertificateTakesWgmonsAndRefusesNoneInOneLine() throws Exception {
        int port = freePort();
        try (MqttBroker strict = MqttBroker.startIn(null, port, List.of("require_certificate true"));
             MqttSubscriber subscriber = strict.subscribe("wgmon/#", null)) {
            Map<String, String> settings = settings(port);
            settings.put("wgmon.mqtt.ca-file", strict.dir().resolve("ca.pem").toString());
            settings.put("wgmon.mqtt.password-file", strict.dir().resolve("password").toString());
            settings.put("wgmon.mqtt.protocol", "3.1.1");
            List<String> lines = failing(sink(settings), TestEvents.connected());
            System.out.println("MQTT bad input: " + lines);
            assertEquals(1, lines.size(), "one line: " + lines);
            assertTrue(lines.get(0).contains("TLS handshake failed: Received fatal alert: certificate_required (the "
                    + "broker wants a client certificate"), lines.get(0));

            settings.put("wgmon.mqtt.client-cert", strict.dir().resolve("client.pem").toString());
            settings.put("wgmon.mqtt.client-key", strict.dir().resolve("client.key").toString());
            settings.put("wgmon.mqtt.protocol", "5");
            PeerEvent event = TestEvents.connected();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MqttSink withCertificate = sink(settings, registry);
            assertEquals(0.0, registry.get("wgmon.mqtt.connected").gauge().value(), "not connected yet");
            try (LogCapture log = LogCapture.warningsOf(MqttLink.class)) {
                withCertificate.offer(event, new StoreTransaction());
                assertEquals(1.0, registry.get("wgmon.mqtt.pending").gauge().value(), "pending before the start");
                withCertificate.start(List::of);
                Await.until("the event acknowledged", WAIT, () -> withCertificate.pending() == 0);
                assertEquals(List.of(), log.warnings(), "connected at the first attempt");
            }
            assertEquals(1.0, registry.get("wgmon.mqtt.published").counter().count(), "counted published");
            assertEquals(0.0, registry.get("wgmon.mqtt.pending").gauge().value(), "nothing pending");
            assertEquals(1.0, registry.get("wgmon.mqtt.connected").gauge().value(), "connected");
            MqttSubscriber.Message received = subscriber.await(m -> m.topic().endsWith("/event")
                    && m.payload().contains(event.id().toString()), WAIT);
            assertNotNull(received, "the event through the broker that wants a certificate");
            assertEquals(event.id().toString(), received.property(MqttSession.EVENT_ID), "MQTT 5 user property");
        }
    }

    @Test
    void anEventAnMqtt5BrokerRefusesIsDroppedInOneLineAndCounted() throws Exception {
        Path acl = Files.createTempFile("wgmon-mqtt-acl-", ".conf");
        // wgmon may say online and offline, not publish events
        Files.writeString(acl, "user " + MqttBroker.USER + "\ntopic readwrite wgmon/bad-input/status\n");
        int port = freePort();
        try (MqttBroker guarded = MqttBroker.startIn(null, port, List.of("acl_file " + acl))) {
            Map<String, String> settings = settings(port);
            settings.put("wgmon.mqtt.ca-file", guarded.dir().resolve("ca.pem").toString());
            settings.put("wgmon.mqtt.password-file", guarded.dir().resolve("password").toString());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MqttSink sink = sink(settings, registry);
            PeerEvent event = TestEvents.connected();
            try (LogCapture log = LogCapture.warningsOf(MqttSink.class)) {
                sink.offer(event, new StoreTransaction());
                sink.start(List::of);
                Await.until("the refused event dropped", WAIT, () -> sink.pending() == 0);
                System.out.println("MQTT bad input: " + log.warnings());
                assertEquals(1, log.warnings().size(), "one line: " + log.warnings());
                assertTrue(log.warnings().get(0).startsWith("mqtt: the broker refused it: NOT_AUTHORIZED"),
                        log.warnings().get(0));
                assertTrue(log.warnings().get(0).contains(event.id().toString()), log.warnings().get(0));
            }
            assertEquals(1.0, registry.get("wgmon.mqtt.failed").counter().count(), "counted failed");
            assertEquals(0.0, registry.get("wgmon.mqtt.published").counter().count(), "not counted published");
            assertEquals(1.0, registry.get("wgmon.mqtt.connected").gauge().value(), "still connected");
        } finally {
            Files.deleteIfExists(acl);
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaIsOneLineAndTheEventWaits() throws Exception {
        Map<String, String> settings = settings(broker.port());
        settings.put("wgmon.mqtt.ca-file", broker.dir().resolve("other-ca.pem").toString());
        List<String> lines = failing(sink(settings), TestEvents.connected());
        System.out.println("MQTT bad input: " + lines);
        assertEquals(1, lines.size(), "one line: " + lines);
        assertTrue(lines.get(0).contains("TLS handshake failed"), lines.get(0));
    }
}
