package io.wgmon.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wgmon.store.SessionChanges;
import io.wgmon.store.SessionFilter;
import io.wgmon.store.SessionRow;
import io.wgmon.store.SessionTable;
import io.wgmon.store.StoreDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/sessions, /api/peers/{key}/sessions and /api/sessions/summary over the real HTTP server and a
 * store in a folder of the test's: the JSON and CSV shapes, paging, filters, and one-line 400s.
 */
@QuarkusTest
@TestProfile(SessionsApiTest.WithStore.class)
class SessionsApiTest {
    public static class WithStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of("wgmon.store.dir", Files.createTempDirectory("wgmon-sessions-api").resolve("store")
                        .toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    /** A key with both '+' and '/', which url-safe base64 writes as '-' and '_'. */
    private static final String CAROL = keyOf((byte) 0xfb);
    private static final UUID A1 = UUID.fromString("00000000-0000-4000-8000-0000000000a1");
    private static final UUID A2 = UUID.fromString("00000000-0000-4000-8000-0000000000a2");
    private static final UUID B1 = UUID.fromString("00000000-0000-4000-8000-0000000000b1");
    private static final UUID C1 = UUID.fromString("00000000-0000-4000-8000-0000000000c1");

    @Inject
    Optional<StoreDatabase> store;

    /** The application's own mapper: what the sessions' JSON was written with before SessionJson. */
    @Inject
    ObjectMapper appMapper;

    @Inject
    SessionHistory history;

    @TestHTTPResource("/")
    URL main;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    private static String keyOf(byte fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, fill);
        return Base64.getEncoder().encodeToString(key);
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @BeforeEach
    void sessions() {
        StoreDatabase database = store.orElseThrow();
        database.call(connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("DELETE FROM session");
            }
            SessionTable.apply(connection, new SessionChanges(List.of(
                    new SessionChanges.Opened(A1, "wg0", ALICE, "alice", at(0), "192.0.2.2:51820"),
                    new SessionChanges.Opened(B1, "wg0", BOB, "=HYPERLINK(\"x\",\"y\"), bob", at(100), "192.0.2.3:4000"),
                    new SessionChanges.Opened(A2, "wg0", ALICE, "alice", at(1000), "192.0.2.2:51821"),
                    new SessionChanges.Opened(C1, "wg1", CAROL, null, at(2000), null)),
                    List.of(new SessionChanges.Moved(A1, at(60), "198.51.100.7:40000")),
                    List.of(new SessionChanges.Closed(A1, at(600), "idle", 1000, 2000),
                            new SessionChanges.Closed(B1, at(400), "removed", 10, 20))));
            return null;
        });
    }

    private HttpResponse<String> get(String pathAndQuery, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ThisHost.url("127.0.0.1", main, pathAndQuery)));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> reply = get(pathAndQuery, null);
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return mapper.readTree(reply.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sessions").forEach(session -> ids.add(session.get("id").textValue()));
        return ids;
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aSessionHasEveryFieldOfTheContract() throws Exception {
        JsonNode page = json("/api/sessions?peer=" + q(ALICE) + "&to=" + at(900));
        assertEquals(1, page.get("sessions").size());
        JsonNode session = page.get("sessions").get(0);
        assertEquals(A1.toString(), session.get("id").textValue());
        assertEquals("wg0", session.get("interface").textValue());
        assertEquals(ALICE, session.get("publicKey").textValue());
        assertEquals("alice", session.get("name").textValue());
        assertEquals(at(0), Instant.parse(session.get("start").textValue()));
        assertEquals(at(600), Instant.parse(session.get("end").textValue()));
        assertEquals(600, session.get("durationSeconds").longValue());
        assertEquals("idle", session.get("endReason").textValue());
        assertEquals(1000, session.get("rxBytes").longValue());
        assertEquals(2000, session.get("txBytes").longValue());
        assertEquals("192.0.2.2:51820", session.get("endpoint").textValue());
        assertEquals(2, session.get("endpoints").size());
        assertEquals(at(60), Instant.parse(session.get("endpoints").get(1).get("time").textValue()));
        assertEquals("198.51.100.7:40000", session.get("endpoints").get(1).get("endpoint").textValue());
        assertTrue(page.get("next").isNull());
        assertEquals(12, session.size(), "no field beyond the contract: " + session);
    }

    @Test
    void anOpenSessionHasNoEndAndRunsToNow() throws Exception {
        JsonNode page = json("/api/sessions?open=true");
        assertEquals(List.of(C1.toString(), A2.toString()), ids(page));
        JsonNode carol = page.get("sessions").get(0);
        assertTrue(carol.get("end").isNull());
        assertTrue(carol.get("endReason").isNull());
        assertTrue(carol.get("name").isNull());
        assertTrue(carol.get("endpoint").isNull());
        assertEquals(0, carol.get("endpoints").size());
        assertTrue(carol.get("durationSeconds").longValue() >= Instant.now().getEpochSecond() - at(2000).getEpochSecond() - 1);
    }

    @Test
    void filtersAndThePeersPathSelect() throws Exception {
        assertEquals(List.of(C1.toString(), A2.toString(), B1.toString(), A1.toString()), ids(json("/api/sessions")));
        assertEquals(List.of(A2.toString(), A1.toString()), ids(json("/api/sessions?peer=" + q(ALICE))));
        String urlSafe = CAROL.replace('+', '-').replace('/', '_');
        assertEquals(List.of(C1.toString()), ids(json("/api/sessions?peer=" + urlSafe)));
        assertEquals(List.of(C1.toString()), ids(json("/api/peers/" + urlSafe + "/sessions")));
        assertEquals(List.of(A2.toString(), A1.toString()), ids(json("/api/peers/" + q(ALICE) + "/sessions")));
        assertEquals(List.of(C1.toString()), ids(json("/api/sessions?interface=wg1")));
        assertEquals(List.of(A2.toString(), A1.toString()), ids(json("/api/sessions?name=alice")));
        assertEquals(List.of(B1.toString(), A1.toString()),
                ids(json("/api/sessions?from=" + at(300) + "&to=" + at(1000))), "overlapping [300, 1000)");
        assertEquals(List.of(A1.toString()),
                ids(json("/api/peers/" + q(ALICE) + "/sessions?from=" + at(300) + "&to=" + at(1000))));
    }

    @Test
    void pagesFollowNext() throws Exception {
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = json("/api/sessions?limit=3" + (next == null ? "" : "&cursor=" + next));
            seen.addAll(ids(page));
            next = page.get("next").isNull() ? null : page.get("next").textValue();
            pages++;
        } while (next != null);
        assertEquals(2, pages);
        assertEquals(List.of(C1.toString(), A2.toString(), B1.toString(), A1.toString()), seen);
    }

    @Test
    void csvHasAHeaderQuotesAndDefusesFormulas() throws Exception {
        HttpResponse<String> byParam = get("/api/sessions?format=csv&peer=" + q(BOB), null);
        HttpResponse<String> byAccept = get("/api/sessions?peer=" + q(BOB), "text/csv");
        assertEquals(200, byParam.statusCode(), byParam.body());
        assertTrue(byParam.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals(byParam.body(), byAccept.body());
        String[] lines = byParam.body().split("\r\n", -1);
        assertEquals("id,interface,publicKey,name,start,end,durationSeconds,endReason,rxBytes,txBytes,endpoint,endpoints",
                lines[0]);
        assertEquals(B1 + ",wg0," + BOB + ",\"'=HYPERLINK(\"\"x\"\",\"\"y\"\"), bob\"," + at(100) + "," + at(400)
                + ",300,removed,10,20,192.0.2.3:4000," + at(100) + " 192.0.2.3:4000", lines[1]);
        assertEquals("", lines[2], "ends with CRLF");
        assertEquals(3, lines.length);

        String alice = get("/api/sessions?format=csv&peer=" + q(ALICE) + "&to=" + at(900), null).body();
        assertTrue(alice.contains("," + at(0) + " 192.0.2.2:51820;" + at(60) + " 198.51.100.7:40000\r\n"), alice);
        assertTrue(get("/api/sessions", "application/json, text/csv").headers().firstValue("Content-Type")
                .orElse("").startsWith("application/json"), "JSON when asked for first");
    }

    @Test
    void theSummaryTotalsEachPeerOverTheWindow() throws Exception {
        JsonNode summary = json("/api/sessions/summary?from=" + at(300) + "&to=" + at(1500) + "&interface=wg0");
        assertEquals(at(300), Instant.parse(summary.get("from").textValue()));
        assertEquals(2, summary.get("peers").size());
        JsonNode alice = summary.get("peers").get(0);
        assertEquals(ALICE, alice.get("publicKey").textValue());
        assertEquals("wg0", alice.get("interface").textValue());
        assertEquals("alice", alice.get("name").textValue());
        assertEquals(2, alice.get("sessions").longValue());
        assertEquals(300 + 500, alice.get("connectedSeconds").longValue(), "[300, 600) and [1000, 1500)");
        assertEquals(1000, alice.get("rxBytes").longValue());
        assertEquals(2000, alice.get("txBytes").longValue());
        assertEquals(BOB, summary.get("peers").get(1).get("publicKey").textValue());
        assertEquals(100, summary.get("peers").get(1).get("connectedSeconds").longValue());
    }

    @Test
    void theTimelineHasEveryPeersSpansAsSecondsAfterFrom() throws Exception {
        JsonNode timeline = json("/api/sessions/timeline?from=" + at(300) + "&to=" + at(2500));
        assertEquals(at(300), Instant.parse(timeline.get("from").textValue()));
        assertEquals(at(2500), Instant.parse(timeline.get("to").textValue()));
        assertEquals(3, timeline.get("peers").size(), timeline.toString());
        JsonNode alice = timeline.get("peers").get(0);
        assertEquals(ALICE, alice.get("publicKey").textValue());
        assertEquals("wg0", alice.get("interface").textValue());
        assertEquals("[-300,300]", alice.get("spans").toString(), "a1 from 0 to 600; b1 ended before 300 is left out");
        assertEquals(A2.toString(), alice.get("open").get("id").textValue());
        assertEquals(700, alice.get("open").get("start").longValue());
        JsonNode bob = timeline.get("peers").get(1);
        assertEquals("[-200,100]", bob.get("spans").toString());
        assertFalse(bob.has("open"));
        JsonNode carol = timeline.get("peers").get(2);
        assertEquals("wg1", carol.get("interface").textValue());
        assertEquals("[]", carol.get("spans").toString());
        assertEquals(1700, carol.get("open").get("start").longValue());

        JsonNode wg0Early = json("/api/sessions/timeline?from=" + at(500) + "&to=" + at(900) + "&interface=wg0");
        assertEquals(1, wg0Early.get("peers").size(), "bob ended at 400, a2 starts at 1000, carol is on wg1");
        assertEquals("[-500,100]", wg0Early.get("peers").get(0).get("spans").toString());
    }

    @Test
    void aTimelineAskedWhileOthersAreStillBeingReadIsA503WithOneLine() throws Exception {
        StoreDatabase database = store.orElseThrow();
        CountDownLatch reading = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService slowClients = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                slowClients.submit(() -> database.timelines().read(at(0), at(3000), null, peer -> {
                    reading.countDown();
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            assertTrue(reading.await(10, TimeUnit.SECONDS), "two timelines being read");

            HttpResponse<String> reply = get("/api/sessions/timeline?from=" + at(0) + "&to=" + at(3000), null);

            assertEquals(503, reply.statusCode(), reply.body());
            assertEquals("busy: other timelines are being read; retry in a few seconds",
                    mapper.readTree(reply.body()).get("error").textValue());
        } finally {
            done.countDown();
            slowClients.shutdown();
        }
        assertEquals(3, json("/api/sessions/timeline?from=" + at(0) + "&to=" + at(3000)).get("peers").size(),
                "answered again once they are read");
    }

    @Test
    void badInputIsA400WithOneLine() throws Exception {
        Map<String, String> cases = new HashMap<>(Map.of(
                "/api/sessions?from=yesterday", "from: \"yesterday\" is not an ISO-8601 instant such as 2026-12-07T00:00:00Z",
                "/api/sessions?limit=100000", "limit: 100000 is not from 1 to 1000",
                "/api/sessions?limit=ten", "limit: \"ten\" is not a number from 1 to 1000",
                "/api/sessions?peer=nope", "peer: \"nope\" is not a WireGuard public key (44 characters of base64)",
                "/api/sessions?peer=" + q(keyOf((byte) 7)), "peer: no peer with key " + keyOf((byte) 7)
                        + " is tracked or has sessions",
                "/api/peers/" + keyOf((byte) 9).replace('/', '_').replace('+', '-') + "/sessions",
                "peer: no peer with key " + keyOf((byte) 9) + " is tracked or has sessions",
                "/api/sessions?cursor=abc", "cursor: not a cursor from this API's next",
                "/api/sessions?open=maybe", "open: \"maybe\" is neither true nor false",
                "/api/sessions?from=" + at(10) + "&to=" + at(5), "from must be before to",
                "/api/sessions/summary?to=soon", "to: \"soon\" is not an ISO-8601 instant such as 2026-12-07T00:00:00Z"));
        cases.put("/api/sessions/timeline?from=" + at(0) + "&to=" + at(8 * 86400),
                "from, to: a timeline covers at most 7 days");
        cases.put("/api/sessions/timeline?from=later",
                "from: \"later\" is not an ISO-8601 instant such as 2026-12-07T00:00:00Z");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> reply = get(bad.getKey(), null);
            assertEquals(400, reply.statusCode(), bad.getKey() + ": " + reply.body());
            assertEquals(bad.getValue(), mapper.readTree(reply.body()).get("error").textValue(), bad.getKey());
            assertFalse(reply.body().contains("\n"), "one line");
        }
        assertEquals(400, get("/api/sessions?format=xml", null).statusCode());
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoints() throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(
                URI.create(ThisHost.url("127.0.0.1", management, "/q/openapi"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        for (String path : List.of("/api/sessions:", "/api/sessions/summary:", "/api/peers/{key}/sessions:",
                "/api/sessions/timeline:", "SessionList", "SessionSummary", "SessionTimeline")) {
            assertTrue(reply.body().contains(path), path + " in\n" + reply.body());
        }
    }

    @Test
    void aPageIsTheBytesTheApplicationsMapperWritesForItsSessionList() throws Exception {
        oddRows();
        List<String> queries = List.of("limit=1000", "limit=2", "limit=3&cursor=" + cursorAfter(3), "open=true",
                "peer=" + q(BOB), "interface=" + q("wg\"2"), "from=" + q(at(500).toString()));
        for (String query : queries) {
            SessionParams params = params(query);
            assertSameBytes("/api/sessions?" + query, () -> history.list(params, Optional.empty()));
        }
        assertSameBytes("/api/peers/" + q(ALICE) + "/sessions?limit=1000",
                () -> history.list(params("limit=1000"), Optional.of(ALICE)));
    }

    @Test
    void theTimelineIsTheBytesTheApplicationsMapperWritesForIt() throws Exception {
        oddRows();
        for (String query : List.of("from=" + at(300) + "&to=" + at(2500), "from=" + at(-4000) + "&to=" + at(4000),
                "from=" + at(-4000) + "&to=" + at(4000) + "&interface=" + q("wg\"2"))) {
            HttpResponse<String> reply = get("/api/sessions/timeline?" + query, null);
            assertEquals(200, reply.statusCode(), reply.body());
            assertEquals(appMapper.writeValueAsString(appMapper.readValue(reply.body(), SessionTimeline.class)),
                    reply.body(), query);
        }
    }

    /** Rows no scan writes, straight into the store: text to escape, odd endpoint lists, times before 1970. */
    private void oddRows() {
        store.orElseThrow().call(connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO session (id, interface, public_key, name,"
                    + " start_time, end_time, end_reason, rx_bytes, tx_bytes, endpoint, endpoints)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Object[][] rows = {
                        {"12345678-9ABC-4DEF-8123-456789ABCDEF", "wg\"2", BOB,
                                "\u00e9l\u00e8ve \"quoted\" \\ / \u0001\u001f\t\n\b\f\r\u007f\u2028 \ud83d\ude00",
                                at(-3).toEpochMilli() + 5, at(200).toEpochMilli() + 120, "idle", Long.MAX_VALUE, 0L,
                                "[2001:db8::1]:51820", at(-3).toEpochMilli() + " [2001:db8::1]:51820;;x;12 ;;+7 a b;-5 c;"
                                + "99999999999999999999 d;0x5 e;\u0661\u0662 f;" + (at(0).toEpochMilli() + 1) + " g"},
                        {"00000000-0000-4000-8000-0000000000d1", "wg\"2", CAROL, "", -1500L, 10_001L, "removed", 5L,
                                -1L, null, ""},
                        {"00000000-0000-4000-8000-0000000000d4", "wg0", BOB,
                                "ascii \"q\" back\\slash / \u0000\u0001\u001f\t\n\b\f\r\u007f", 86_400_000L, 86_400_999L,
                                "idle", 1L, 2L, "\u001e", "86400000 \u001b[31m"},
                        {"00000000-0000-4000-8000-0000000000d2", "wg0", ALICE, "=1+2", at(1500).toEpochMilli(),
                                at(1400).toEpochMilli(), null, 0L, 0L, "", "1 ;2"},
                        {"00000000-0000-4000-8000-0000000000d3", "wg0", ALICE, null, at(1600).toEpochMilli(),
                                253_402_300_800_000L, "idle", 0L, 0L, null, "253402300800001 far"}};
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        insert.setObject(i + 1, row[i]);
                    }
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }

    private static SessionParams params(String query) {
        Map<String, String> values = new HashMap<>();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return new SessionParams(values.get("peer"), values.get("name"), values.get("interface"), values.get("from"),
                values.get("to"), values.get("open"), values.get("limit"), values.get("cursor"));
    }

    private String cursorAfter(int rows) {
        List<SessionRow> page = store.orElseThrow().sessions().page(new SessionFilter(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, rows,
                Optional.empty()));
        return page.get(rows - 1).position().text();
    }

    /**
     * The JSON answer against the mapper's text of the list the CSV is made from (an open session's seconds may
     * tick between the two: asked again then).
     */
    private void assertSameBytes(String pathAndQuery, Supplier<SessionList> list) throws Exception {
        String expected = null;
        String body = null;
        for (int attempt = 0; attempt < 3 && (expected == null || !expected.equals(body)); attempt++) {
            HttpResponse<String> reply = get(pathAndQuery, null);
            assertEquals(200, reply.statusCode(), reply.body());
            body = reply.body();
            expected = appMapper.writeValueAsString(list.get());
        }
        assertEquals(expected, body, pathAndQuery);
        assertTrue(appMapper.readTree(body).get("sessions").size() > 0, pathAndQuery);
    }
}
