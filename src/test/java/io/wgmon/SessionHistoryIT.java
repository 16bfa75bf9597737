package io.wgmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session history live (docs/architecture.md#sessions): the packaged wgmon with a store, wireguard-go in
 * namespaces, a real webhook receiver. Alice, Bob and Carol connect; Carol roams (her client's source
 * address changes); Bob is removed; Carol goes away and wgmon is stopped until her idle moment has
 * passed; wgmon starts again, Alice's session goes on, Carol's ends as a restart gap; then Alice idles
 * out. The rows, read through the API as JSON and as CSV, match the webhook events field by field and
 * share their session ids; bad parameters are 400 with one line.
 */
class SessionHistoryIT {
    private static final Duration IDLE = Duration.ofSeconds(20);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LiveBed bed;
    private static Testbed testbed;
    private static WebhookReceiver receiver;
    private static Path store;
    private static Map<String, String> env;
    private static final StringBuilder logs = new StringBuilder();

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3460, "sessions", IDLE);
        testbed = bed.testbed();
        receiver = bed.receiver();
        store = Files.createTempDirectory("wgmon-sessions-store-");
        env = bed.env(IDLE, Duration.ofSeconds(1));
        env.put("WGMON_STORE_DIR", store.resolve("store").toString());
        env.put("WGMON_TRACKING_REPORT_ROAMING", "true");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
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

    private static MonitorProcess startMonitor(String label) throws Exception {
        MonitorProcess monitor = bed.startMonitor(env);
        try {
            monitor.awaitReady(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            monitor.close();
            throw e;
        }
        logs.append("---- ").append(label).append(" ----\n");
        return monitor;
    }

    private static void stopMonitor(MonitorProcess monitor) throws Exception {
        monitor.terminate();
        monitor.awaitExit(Duration.ofSeconds(30));
        logs.append(monitor.log());
    }

    private static Delivery await(String event, Testbed.Client client) throws InterruptedException {
        Delivery delivery = receiver.await(d -> d.is(event, client.publicKey()), WAIT);
        assertNotNull(delivery, "no " + event + " for client " + client.number());
        return delivery;
    }

    private static String urlSafe(String key) {
        return key.replace('+', '-').replace('/', '_');
    }

    @Test
    void sessionsMatchWhatHappenedAndTheWebhookEvents() throws Exception {
        MonitorProcess monitor = null;
        try {
            monitor = scenario();
        } catch (AssertionError | RuntimeException e) {
            if (monitor != null) {
                logs.append(monitor.log());
            }
            System.err.println(logs);
            throw e;
        }
    }

    private MonitorProcess scenario() throws Exception {
        Testbed.Client alice = testbed.addClient();
        Testbed.Client bob = testbed.addClient();
        Testbed.Client carol = testbed.addClient();
        MonitorProcess first = startMonitor("run 1");
        testbed.keepAlive(alice, 3);
        for (Testbed.Client client : List.of(alice, bob, carol)) {
            testbed.ping(client);
        }
        Delivery aliceUp = await("peer.connected", alice);
        Delivery bobUp = await("peer.connected", bob);
        Delivery carolUp = await("peer.connected", carol);

        // Carol's client moves to another address and handshakes from it
        String moved = "192.0.2." + (100 + carol.number());
        String veth = "vc" + testbed.id() + carol.number();
        testbed.sh(carol.namespace(), "ip", "addr", "del", carol.address() + "/24", "dev", veth);
        testbed.sh(carol.namespace(), "ip", "addr", "add", moved + "/24", "dev", veth);
        testbed.renewSession(carol);
        testbed.keepAlive(carol, 3);
        testbed.ping(carol);
        Delivery carolRoamed = await("peer.roamed", carol);
        assertTrue(carolRoamed.json().get("peer").get("endpoint").asText().startsWith(moved + ":"));

        // Bob is removed from the server; Bob's next handshake attempt asks for the scan that finds it
        testbed.removePeer(bob);
        testbed.renewSession(bob);
        testbed.sh(bob.namespace(), "sh", "-c", "ping -c 1 -W 1 10.10.10.1 || true");
        Delivery bobGone = receiver.await(d -> d.is("peer.disconnected", bob.publicKey()), IDLE.plus(WAIT));
        assertNotNull(bobGone, "no peer.disconnected for bob");
        assertEquals("removed", bobGone.json().get("reason").asText());

        // Carol goes away; wgmon stops and stays down past her idle moment
        testbed.stopClient(carol);
        Instant carolLast = Instant.now();
        stopMonitor(first);
        Duration left = Duration.between(Instant.now(), carolLast.plus(IDLE).plusSeconds(3));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }

        MonitorProcess second = startMonitor("run 2");
        Delivery carolGone = await("peer.disconnected", carol);
        assertEquals("idle", carolGone.json().get("reason").asText(), "the event keeps the tracker's reason");
        assertNull(receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), Duration.ZERO),
                "alice's keepalives carried her session over the restart");

        JsonNode page = JSON.readTree(second.get("/api/sessions").body());
        List<JsonNode> rows = new ArrayList<>();
        page.get("sessions").forEach(rows::add);
        assertEquals(3, rows.size(), page.toString());
        Map<String, JsonNode> byKey = new HashMap<>();
        rows.forEach(row -> byKey.put(row.get("publicKey").asText(), row));

        JsonNode aliceOpen = byKey.get(alice.publicKey());
        matchesConnect(aliceOpen, aliceUp);
        assertTrue(aliceOpen.get("end").isNull());
        assertTrue(aliceOpen.get("endReason").isNull());
        assertTrue(aliceOpen.get("rxBytes").asLong() > 0, "bytes so far: " + aliceOpen);

        JsonNode bobRow = byKey.get(bob.publicKey());
        matchesConnect(bobRow, bobUp);
        matchesDisconnect(bobRow, bobGone, "removed");

        JsonNode carolRow = byKey.get(carol.publicKey());
        matchesConnect(carolRow, carolUp);
        assertEquals(carolGone.json().get("sessionId").asText(), carolRow.get("id").asText());
        assertEquals("wgmon-restart-gap", carolRow.get("endReason").asText());
        Instant carolEnd = Instant.parse(carolRow.get("end").asText());
        assertTrue(carolEnd.isBefore(carolLast.plusSeconds(3)) && carolEnd.isAfter(carolLast.minusSeconds(10)),
                "ended at her last activity (her client stopped at " + carolLast + "), not when the restart noticed: "
                        + carolRow);
        assertEquals(carolGone.json().get("sessionRxBytes").asLong(), carolRow.get("rxBytes").asLong());
        assertEquals(carolGone.json().get("sessionTxBytes").asLong(), carolRow.get("txBytes").asLong());
        assertEquals(2, carolRow.get("endpoints").size(), carolRow.toString());
        assertEquals(carolUp.json().get("peer").get("endpoint").asText(),
                carolRow.get("endpoints").get(0).get("endpoint").asText());
        assertEquals(carolRoamed.json().get("peer").get("endpoint").asText(),
                carolRow.get("endpoints").get(1).get("endpoint").asText());
        assertEquals(carolRoamed.json().get("sessionId").asText(), carolRow.get("id").asText(), "roamed in it");

        assertCsvMatches(second, page);
        badInputIsOneLine(second);

        // Alice goes away and idles out while wgmon runs
        testbed.stopClient(alice);
        Delivery aliceGone = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), IDLE.plus(WAIT));
        assertNotNull(aliceGone, "no peer.disconnected for alice");
        JsonNode aliceRows = JSON.readTree(second.get("/api/peers/" + urlSafe(alice.publicKey()) + "/sessions").body());
        assertEquals(1, aliceRows.get("sessions").size());
        JsonNode aliceClosed = aliceRows.get("sessions").get(0);
        matchesConnect(aliceClosed, aliceUp);
        matchesDisconnect(aliceClosed, aliceGone, "idle");
        stopMonitor(second);
        return second;
    }

    private static void matchesConnect(JsonNode row, Delivery connected) {
        JsonNode event = connected.json();
        assertEquals(event.get("sessionId").asText(), row.get("id").asText(), "the webhook's session id");
        assertEquals(event.get("interface").asText(), row.get("interface").asText());
        assertEquals(event.get("peer").get("publicKey").asText(), row.get("publicKey").asText());
        assertEquals(event.get("peer").get("name").isNull(), row.get("name").isNull());
        assertEquals(Instant.parse(event.get("time").asText()), Instant.parse(row.get("start").asText()),
                "starts at the connect");
        assertEquals(event.get("peer").get("endpoint").asText(), row.get("endpoint").asText());
        assertEquals(row.get("endpoint").asText(), row.get("endpoints").get(0).get("endpoint").asText());
        assertEquals(row.get("start").asText(), row.get("endpoints").get(0).get("time").asText());
    }

    private static void matchesDisconnect(JsonNode row, Delivery disconnected, String reason) {
        JsonNode event = disconnected.json();
        assertEquals(event.get("sessionId").asText(), row.get("id").asText());
        assertEquals(reason, event.get("reason").asText());
        assertEquals(reason, row.get("endReason").asText());
        assertEquals(Instant.parse(event.get("time").asText()), Instant.parse(row.get("end").asText()));
        assertEquals(event.get("connectedSeconds").asLong(), row.get("durationSeconds").asLong(), 1);
        assertEquals(event.get("sessionRxBytes").asLong(), row.get("rxBytes").asLong());
        assertEquals(event.get("sessionTxBytes").asLong(), row.get("txBytes").asLong());
        assertTrue(row.get("rxBytes").asLong() > 0, row.toString());
    }

    /** The CSV has one line per JSON row, each field the same (an open session's duration and bytes move). */
    private static void assertCsvMatches(MonitorProcess monitor, JsonNode page) throws Exception {
        MonitorProcess.Response csv = monitor.get("/api/sessions?format=csv");
        assertEquals(200, csv.status());
        String[] lines = csv.body().split("\r\n");
        assertEquals("id,interface,publicKey,name,start,end,durationSeconds,endReason,rxBytes,txBytes,endpoint,endpoints",
                lines[0]);
        assertEquals(page.get("sessions").size() + 1, lines.length, csv.body());
        for (int i = 0; i < page.get("sessions").size(); i++) {
            JsonNode row = page.get("sessions").get(i);
            String[] cells = lines[i + 1].split(",", -1);
            assertEquals(12, cells.length, lines[i + 1]);
            assertEquals(row.get("id").asText(), cells[0]);
            assertEquals(row.get("interface").asText(), cells[1]);
            assertEquals(row.get("publicKey").asText(), cells[2].replaceFirst("^'", ""));
            assertEquals(row.get("name").isNull() ? "" : row.get("name").asText(), cells[3]);
            assertEquals(Instant.parse(row.get("start").asText()), Instant.parse(cells[4]));
            assertEquals(row.get("end").isNull() ? "" : Instant.parse(row.get("end").asText()).toString(),
                    cells[5].isEmpty() ? "" : Instant.parse(cells[5]).toString());
            assertEquals(row.get("endReason").isNull() ? "" : row.get("endReason").asText(), cells[7]);
            if (!row.get("end").isNull()) {
                assertEquals(row.get("durationSeconds").asText(), cells[6]);
                assertEquals(row.get("rxBytes").asText(), cells[8]);
                assertEquals(row.get("txBytes").asText(), cells[9]);
            }
            assertEquals(row.get("endpoint").asText(), cells[10]);
            List<String> endpoints = new ArrayList<>();
            row.get("endpoints").forEach(e -> endpoints.add(Instant.parse(e.get("time").asText()) + " "
                    + e.get("endpoint").asText()));
            assertEquals(String.join(";", endpoints), cells[11]);
        }
    }

    private static void badInputIsOneLine(MonitorProcess monitor) throws Exception {
        for (String bad : List.of("/api/sessions?from=last-tuesday", "/api/sessions?limit=1000000",
                "/api/sessions?peer=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D",
                "/api/peers/not-a-key/sessions", "/api/sessions?cursor=zzz")) {
            MonitorProcess.Response reply = monitor.get(bad);
            assertEquals(400, reply.status(), bad + ": " + reply.body());
            JsonNode error = JSON.readTree(reply.body());
            assertEquals(1, error.size(), reply.body());
            assertFalse(error.get("error").asText().isBlank());
            assertFalse(reply.body().contains("\n"), "one line: " + reply.body());
            System.out.println("SESSIONS: " + bad + " -> 400 " + reply.body());
        }
    }
}
