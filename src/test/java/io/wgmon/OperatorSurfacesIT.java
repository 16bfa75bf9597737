package io.wgmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.deploy.MonitoringFiles;
import io.wgmon.testbed.Chromium;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.PrometheusServer;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators look at, live (docs/architecture.md#surfaces): the packaged wgmon in the server namespace
 * of a fresh test bed with real wireguard-go peers; Debian's real prometheus scraping it over the
 * network address with the bearer token; Debian's real headless Chromium on the status page, logged
 * in through the form; names from a wg-quick file that changes while wgmon runs; and a stream client
 * that never reads while webhooks go out. wgmon keeps a store: the page shows alice's session history
 * (timelines, the session list) as it happens, her session ending without a reload. A second wgmon
 * without a store shows the live view and one line saying history needs one.
 */
class OperatorSurfacesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "operators-token-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final String SERVER_ADDRESS = "192.0.2.1";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Where the screenshots the README shows live; written only with -Dwgmon.screenshots.update=true. */
    private static final Path DOCS_SCREENSHOTS = Path.of("docs", "screenshots");
    private static final int WITHOUT_STORE_HTTP_PORT = 18081;
    private static final int WITHOUT_STORE_MANAGEMENT_PORT = 18091;
    /** How much later than without it a webhook may arrive beside a stream client that never reads: scheduling noise, no more. */
    private static final Duration STALLED_STREAM_SLACK = Duration.ofMillis(500);

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping", "prometheus", "promtool", "chromium", "curl");
    }

    @Test
    void metricsPageNamesAndStreamLive() throws Exception {
        Path work = Files.createTempDirectory("wgmon-operators-");
        Path log = work.resolve("wgmon.log");
        try (Testbed testbed = Testbed.create(3000);
             WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs())) {
            int group = ThreadLocalRandom.current().nextInt(100, 60000);
            testbed.logToNflog(group, IDLE);
            Testbed.Client alice = testbed.addClient();
            Testbed.Client bob = testbed.addClient();
            Testbed.Client carol = testbed.addClient();
            Path names = work.resolve("wg0.conf");
            Files.writeString(names, "[Interface]\nPrivateKey = none-of-wgmons-business\n\n# friendly_name = alice\n"
                    + "[Peer]\nPublicKey = " + alice.publicKey() + "\n\n[Peer]\n# friendly_json = {\"name\": \"carol\"}\n"
                    + "PublicKey = " + carol.publicKey() + "\n");
            Map<String, String> env = Map.ofEntries(
                    Map.entry("WGMON_NFLOG_GROUP", String.valueOf(group)),
                    Map.entry("WGMON_STORE_DIR", work.resolve("store").toString()),
                    Map.entry("WGMON_TRACKING_REPORT_ROAMING", "true"),
                    Map.entry("WGMON_WIREGUARD_INTERFACES", testbed.serverInterface()),
                    Map.entry("WGMON_TRACKING_IDLE_TIMEOUT", IDLE.toSeconds() + "s"),
                    Map.entry("WGMON_TRACKING_TICK", TICK.toSeconds() + "s"),
                    Map.entry("WGMON_WEBHOOK_URL", receiver.url("/hook").toString()),
                    Map.entry("WGMON_API_TOKEN", TOKEN),
                    // the checks below read the API and the metrics from loopback without the token
                    Map.entry("WGMON_API_TRUST_LOOPBACK", "true"),
                    Map.entry("WGMON_PEERS_NAMES", names.toString()),
                    Map.entry("WGMON_METRICS_EXPORTER_NAMES", "true"),
                    // the browser and Prometheus come from 192.0.2.1: the operator opens both ports
                    Map.entry("QUARKUS_HTTP_HOST", "0.0.0.0"),
                    Map.entry("QUARKUS_MANAGEMENT_HOST", "0.0.0.0"));
            try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log)) {
                monitor.awaitReady(Duration.ofSeconds(60));
                // starts beside Prometheus and Chromium, and is ready before the timed parts begin
                try (MonitorProcess withoutStore = startWithoutStore(testbed, group, work);
                     PrometheusServer prometheus = PrometheusServer.startIn(testbed.serverNs(), scrapeConfigs(monitor, work), work);
                     Chromium browser = Chromium.startIn(testbed.serverNs(), 1100, 520)) {
                    withoutStore.awaitReady(Duration.ofSeconds(60));
                    try {
                        run(testbed, receiver, monitor, prometheus, browser, names, alice, bob, carol);
                        checkWithoutStore(withoutStore, browser);
                    } catch (AssertionError | RuntimeException e) {
                        System.err.println("---- wgmon log ----\n" + monitor.log() + "\n---- prometheus log ----\n" + prometheus.log());
                        throw e;
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Two jobs on the namespace's network address, where the gate wants the token: one sends it, one does not. */
    private static String scrapeConfigs(MonitorProcess monitor, Path work) throws IOException {
        Path tokenFile = work.resolve("token");
        Files.writeString(tokenFile, TOKEN);
        String target = SERVER_ADDRESS + ":" + monitor.managementPort();
        return "  - job_name: wgmon\n    metrics_path: /q/metrics\n    authorization:\n      type: Bearer\n"
                + "      credentials_file: " + tokenFile + "\n    static_configs:\n      - targets: ['" + target + "']\n"
                + "  - job_name: wgmon-without-token\n    metrics_path: /q/metrics\n"
                + "    static_configs:\n      - targets: ['" + target + "']\n";
    }

    private void run(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor, PrometheusServer prometheus,
                     Chromium browser, Path names, Testbed.Client alice, Testbed.Client bob, Testbed.Client carol)
            throws Exception {
        // Prometheus reaches the metrics with the token, and is refused without it.
        awaitTrue("both scrape targets scraped", Duration.ofSeconds(20), () -> {
            JsonNode targets = prometheus.targets();
            return targets.size() == 2 && health(targets, "wgmon").equals("up")
                    && health(targets, "wgmon-without-token").equals("down");
        });
        String refused = lastError(prometheus.targets(), "wgmon-without-token");
        System.out.println("OPS: prometheus, job without the token: " + refused);
        assertTrue(refused.contains("401"), refused);
        awaitValue(prometheus, "wgmon_peer_up{name=\"alice\"}", 0.0);

        // The status page through the login form, from the network address (not loopback).
        browser.navigate("http://" + SERVER_ADDRESS + ":" + monitor.httpPort() + "/");
        assertTrue(browser.await("location.pathname === '/login' && !!document.querySelector('#token')", Duration.ofSeconds(15)),
                "the page sends a browser without the cookie to the login form");
        browser.evaluate("document.querySelector('#token').value = '" + TOKEN + "'; document.forms[0].submit(); true");
        assertTrue(browser.await("location.pathname === '/' && document.querySelectorAll('#peers tbody tr').length === 3"
                + " && document.querySelector('#stream').textContent === 'live'", Duration.ofSeconds(15)),
                "the status page with three peers and a live stream");
        assertTrue(browser.evaluate("document.cookie").asText().isEmpty(), "the cookie is HttpOnly: no script sees it");
        browser.evaluate("window.wgmonNotReloaded = true");
        assertEquals("disconnected", rowState(browser, alice));
        assertEquals("alice", rowName(browser, alice));

        // With a store: each row has its 24-hour lane, no note; alice's history opens on a click, empty yet.
        assertTrue(browser.await("document.querySelectorAll('#peers tbody td.lane svg.timeline').length === 3"
                + " && document.querySelector('#history-note').hidden", Duration.ofSeconds(10)), "the 24-hour lanes");
        browser.evaluate(row(alice) + ".click(); true");
        assertTrue(browser.await("!document.querySelector('#history').hidden && document.querySelector('#history').dataset.key === '"
                + alice.publicKey() + "' && document.querySelector('#history-status').textContent.startsWith('No sessions')",
                Duration.ofSeconds(10)), "alice's history, empty");
        assertEquals("History of alice", browser.evaluate("document.querySelector('#history-title').textContent").asText());

        // alice connects: the webhook, the page without a reload, and Prometheus.
        Instant pinged = Instant.now();
        testbed.ping(alice);
        testbed.keepAlive(alice, 1);
        Delivery aliceUp = receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5));
        assertNotNull(aliceUp, "no peer.connected for alice");
        assertEquals("alice", aliceUp.json().at("/peer/name").asText(), "the name from the wg-quick file in the event");
        assertTrue(browser.await(rowIs(alice, "connected"), Duration.ofSeconds(5)), "the page shows alice connected");
        System.out.println("OPS: ping -> page shows alice connected: " + Duration.between(pinged, Instant.now()).toMillis() + " ms");
        String session = aliceUp.json().path("sessionId").asText();
        assertFalse(session.isEmpty(), "peer.connected without a sessionId: " + aliceUp.json());
        assertTrue(browser.await(span("#timeline-day", session, true) + " && " + span("#timeline-week", session, true)
                + " && " + span(row(alice) + ".querySelector('td.lane')", session, true)
                + " && " + sessionRow(session) + ".dataset.open === 'true'", Duration.ofSeconds(5)),
                "alice's open session on both timelines, her lane and in her session list");
        awaitValue(prometheus, "wgmon_peer_up{name=\"alice\"}", 1.0);
        System.out.println("OPS: ping -> prometheus has wgmon_peer_up{name=\"alice\"} 1: "
                + Duration.between(pinged, Instant.now()).toMillis() + " ms");

        // The names file changes while wgmon runs: bob gets his name without a restart.
        Path next = names.resolveSibling("wg0.conf.new");
        Files.writeString(next, Files.readString(names) + "\n# friendly_name = bob\n[Peer]\nPublicKey = " + bob.publicKey() + "\n");
        Files.move(next, names, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        awaitTrue("the API names bob", Duration.ofSeconds(5), () -> monitor.get("/api/peers").body().contains("\"name\":\"bob\""));

        // A webhook without, then with, a stream client that never reads: the same delay.
        Duration without = connectLatency(testbed, receiver, bob);
        try (Socket stalled = stalledStreamClient(testbed.serverNs(), monitor.httpPort())) {
            Duration with = connectLatency(testbed, receiver, carol);
            System.out.println("OPS: ping -> webhook received: " + without.toMillis() + " ms without, " + with.toMillis()
                    + " ms with a stream client that never reads (receive buffer " + stalled.getReceiveBufferSize() + " B)");
            assertTrue(with.compareTo(Duration.ofSeconds(2)) <= 0, "the webhook took " + with + " beside a stalled stream");
            assertTrue(with.compareTo(without.plus(STALLED_STREAM_SLACK)) <= 0, "a stalled stream client delayed the webhook: "
                    + with.toMillis() + " ms beside it, " + without.toMillis() + " ms without it");
        }
        assertTrue(browser.await(rowIs(bob, "connected") + " && " + rowIs(carol, "connected"), Duration.ofSeconds(5)));
        assertEquals("bob", rowName(browser, bob));
        assertEquals("carol", rowName(browser, carol));

        // The table filters by the text box and sorts by a click on a header.
        browser.evaluate(filterBy("CAROL"));
        assertEquals("carol", browser.evaluate(names()).asText(), "filtered by a name, case aside");
        browser.evaluate(filterBy(""));
        browser.evaluate("document.querySelector('#peers th[data-sort=name]').click(); true");
        assertEquals("alice bob carol", browser.evaluate(names()).asText(), "sorted by name");
        browser.evaluate("document.querySelector('#peers th[data-sort=name]').click(); true");
        assertEquals("carol bob alice", browser.evaluate(names()).asText(), "sorted by name, descending");
        assertEquals("descending", browser.evaluate("document.querySelector('#peers th[data-sort=name]').getAttribute('aria-sort')").asText());

        // alice roams (her source port changes): a mark on her timeline, in the same session.
        testbed.sh(alice.namespace(), "wg", "set", alice.interfaceName(), "listen-port", "47123");
        testbed.ping(alice);
        Delivery roamed = receiver.await(d -> d.is("peer.roamed", alice.publicKey()), IDLE.plusSeconds(10));
        assertNotNull(roamed, "no peer.roamed after alice's source port changed");
        assertEquals(session, roamed.json().path("sessionId").asText(), "the roam belongs to alice's session");
        assertTrue(browser.await("document.querySelectorAll('#timeline-day path.roam').length === 1", Duration.ofSeconds(5)),
                "a roaming mark on alice's timeline");

        // alice goes away: peer.disconnected, the page, Prometheus.
        testbed.stopClient(alice);
        Instant stopped = Instant.now();
        Delivery aliceDown = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), IDLE.plusSeconds(10));
        assertNotNull(aliceDown, "no peer.disconnected for alice");
        assertEquals(session, aliceDown.json().path("sessionId").asText(), "the disconnect names the connect's session");
        assertTrue(browser.await(rowIs(alice, "disconnected"), Duration.ofSeconds(5)), "the page shows alice disconnected");
        System.out.println("OPS: client stopped -> page shows alice disconnected: "
                + Duration.between(stopped, Instant.now()).toMillis() + " ms (idle-timeout " + IDLE.toMillis() + " ms)");
        assertTrue(browser.await(span("#timeline-day", session, false) + " && " + span("#timeline-week", session, false)
                + " && " + span(row(alice) + ".querySelector('td.lane')", session, false)
                + " && " + sessionRow(session) + ".dataset.open === 'false'", Duration.ofSeconds(5)),
                "alice's session shown ended on the timelines, her lane and her session list");
        System.out.println("OPS: client stopped -> the timeline shows alice's session ended: "
                + Duration.between(stopped, Instant.now()).toMillis() + " ms");
        // The session list then has the store's figures, as the API gives them.
        JsonNode stored = storedSession(monitor, alice, session);
        assertEquals("idle", stored.path("endReason").asText(), stored.toString());
        assertEquals(2, stored.path("endpoints").size(), "the endpoint at the start and the roam: " + stored);
        assertTrue(browser.await(sessionCell(session, "Received") + " === charts.bytes(" + stored.path("rxBytes").asLong() + ")"
                + " && " + sessionCell(session, "Sent") + " === charts.bytes(" + stored.path("txBytes").asLong() + ")"
                + " && " + sessionCell(session, "Duration") + " === charts.duration(" + stored.path("durationSeconds").asLong() + ")"
                + " && " + sessionCell(session, "End reason") + " === 'idle'"
                + " && " + sessionCell(session, "Endpoint") + ".includes('roamed 1×, last " + stored.at("/endpoints/1/endpoint").asText()
                + "')", Duration.ofSeconds(5)), "the session list as the API has it: " + stored + " / "
                + browser.evaluate(sessionRow(session) + ".textContent").asText());
        awaitValue(prometheus, "wgmon_peer_up{name=\"alice\"}", 0.0);
        assertTrue(browser.evaluate("window.wgmonNotReloaded === true").asBoolean(), "the page was never reloaded");
        Thread.sleep(1600); // the changed row's highlight fades
        browser.evaluate("scrollTo(0, 0); true");
        browser.viewport(1100, 1000, false);
        screenshot(browser, "status-page.png");
        browser.viewport(390, 1600, true);
        screenshot(browser, "status-page-phone.png");
        assertTrue(browser.evaluate("document.documentElement.scrollWidth <= 390").asBoolean(),
                "on a phone the page fits the width: " + browser.evaluate("document.documentElement.scrollWidth"));
        browser.viewport(1100, 520, false);

        // A name with markup in it is text on the page, in the table and in the history.
        String markup = "<img src=x onerror=\"window.injected=1\">carol";
        Files.writeString(next, Files.readString(names).replace("friendly_json = {\"name\": \"carol\"}",
                "friendly_name = " + markup));
        Files.move(next, names, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        awaitTrue("the API has carol's new name", Duration.ofSeconds(5), () -> monitor.get("/api/peers").body().contains("<img"));
        browser.evaluate("location.reload(); true");
        assertTrue(browser.await("window.wgmonNotReloaded === undefined && " + rowIs(carol, "connected"), Duration.ofSeconds(15)),
                "the page reloaded with carol");
        assertEquals(markup, rowName(browser, carol), "the name as text");
        browser.evaluate(row(carol) + ".click(); true");
        assertTrue(browser.await("document.querySelector('#history-title').textContent === 'History of ' + "
                + JSON.writeValueAsString(markup), Duration.ofSeconds(5)), "the history's title as text");
        assertEquals(0, browser.evaluate("document.querySelectorAll('main img').length").asInt(), "an element made from a name");
        assertFalse(browser.evaluate("window.injected === 1").asBoolean(), "a script ran from a name");

        // Every metric the dashboard and the alert rules query is in a real scrape.
        String scrape = monitor.getManagement("/q/metrics").body();
        Set<String> missing = new TreeSet<>();
        Set<String> queried = new TreeSet<>(MonitoringFiles.dashboardMetrics());
        queried.addAll(MonitoringFiles.alertMetrics());
        for (String metric : queried) {
            if (scrape.lines().noneMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
                missing.add(metric);
            }
        }
        System.out.println("OPS: metrics the dashboard and rules query: " + queried.size() + ", missing from the scrape: " + missing);
        assertEquals(Set.of(), missing);
        for (String exporter : List.of("wireguard_sent_bytes_total{", "wireguard_received_bytes_total{",
                "wireguard_latest_handshake_seconds{")) {
            assertTrue(scrape.contains(exporter + "interface=\"" + testbed.serverInterface()), exporter);
        }
        assertTrue(scrape.contains("wgmon_scans_seconds_count{cause=\"urgent\",}"), "scans by cause");

        // promtool on the same scrape: nothing of wgmon's is reported.
        String lint = testbed.sh(testbed.serverNs(), "sh", "-c", "curl -sf http://127.0.0.1:" + monitor.managementPort()
                + "/q/metrics | promtool check metrics 2>&1; echo \"promtool exit $?\"");
        System.out.println("OPS: promtool check metrics:\n" + lint.strip());
        assertFalse(lint.contains("error while linting"), "promtool cannot parse the scrape");
        // The registry writes a counter's HELP and TYPE under its name without _total and its samples with
        // it (simpleclient 0.16); promtool 2.42's linter looks for HELP under the sample's name. Nothing else
        // of wgmon's may be reported.
        List<String> ours = lint.lines().filter(line -> line.contains("wgmon_") || line.contains("wireguard_"))
                .filter(line -> !line.matches("(wgmon|wireguard)_[a-z_]+_total no help text")).toList();
        assertEquals(List.of(), ours, "promtool reports wgmon's own series");

        assertTrue(monitor.log().lines().noneMatch(line -> line.contains("none-of-wgmons-business")), "private key in the log");
    }

    /** A second wgmon on the same interface without a store (nothing is logged to its NFLOG group: it only reads). */
    private static MonitorProcess startWithoutStore(Testbed testbed, int group, Path work) throws IOException {
        return MonitorProcess.start(testbed.serverNs(), Map.of(
                "WGMON_NFLOG_GROUP", String.valueOf(group + 1),
                "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                "QUARKUS_HTTP_PORT", String.valueOf(WITHOUT_STORE_HTTP_PORT),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(WITHOUT_STORE_MANAGEMENT_PORT)), work.resolve("without-store.log"));
    }

    /** Without a store the page has the live view and one line saying history needs a store. */
    private static void checkWithoutStore(MonitorProcess plain, Chromium browser) throws Exception {
        browser.navigate("http://127.0.0.1:" + WITHOUT_STORE_HTTP_PORT + "/");
        assertTrue(browser.await("location.port === '" + WITHOUT_STORE_HTTP_PORT + "'"
                + " && document.querySelectorAll('#peers tbody tr').length === 3"
                + " && !document.querySelector('#history-note').hidden", Duration.ofSeconds(15)),
                "the live view and the note without a store; wgmon's log:\n" + plain.log());
        String note = browser.evaluate("document.querySelector('#history-note').textContent").asText();
        System.out.println("OPS: the page without a store: " + note);
        assertTrue(note.startsWith("History needs a store: set wgmon.store.dir"), note);
        assertEquals(0, browser.evaluate("[...document.querySelectorAll('#peers td.lane')]"
                + ".filter(td => td.offsetParent !== null).length").asInt(), "no 24-hour lanes without a store");
        browser.evaluate("document.querySelector('#peers tbody tr').click(); true");
        assertTrue(browser.evaluate("document.querySelector('#history').hidden").asBoolean(), "no history to open");
    }

    private static Duration connectLatency(Testbed testbed, WebhookReceiver receiver, Testbed.Client client) throws Exception {
        Instant pinged = Instant.now();
        testbed.ping(client);
        testbed.keepAlive(client, 1);
        Delivery connected = receiver.await(d -> d.is("peer.connected", client.publicKey()), Duration.ofSeconds(5));
        assertNotNull(connected, "no peer.connected for " + client.publicKey());
        return Duration.between(pinged, connected.receivedAt());
    }

    /** Asks for the event stream with a tiny receive window and never reads a byte of it. */
    private static Socket stalledStreamClient(String namespace, int port) throws Exception {
        return NetNs.call(namespace, () -> {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return socket;
        });
    }

    /** The page's row of the peer (an expression). */
    private static String row(Testbed.Client client) {
        return "document.querySelector('#peers tr[data-key=\"" + client.publicKey() + "\"]')";
    }

    /** True when the session's bar is inside the element the expression finds, open or ended. */
    private static String span(String within, String session, boolean open) {
        String root = within.startsWith("#") ? "document.querySelector('" + within + "')" : within;
        return "!!(" + root + " || document.createElement('p')).querySelector('rect.span[data-session=\"" + session
                + "\"][data-open=\"" + open + "\"]')";
    }

    private static String sessionRow(String session) {
        return "(document.querySelector('#sessions tr[data-session=\"" + session + "\"]') || {dataset: {}, textContent: ''})";
    }

    private static String sessionCell(String session, String label) {
        return "(document.querySelector('#sessions tr[data-session=\"" + session + "\"] td[data-label=\"" + label
                + "\"]') || {}).textContent";
    }

    private static JsonNode storedSession(MonitorProcess monitor, Testbed.Client client, String session) throws Exception {
        String answer = monitor.get("/api/sessions?peer=" + URLEncoder.encode(client.publicKey(), StandardCharsets.UTF_8)).body();
        for (JsonNode stored : JSON.readTree(answer).path("sessions")) {
            if (stored.path("id").asText().equals(session)) {
                return stored;
            }
        }
        throw new AssertionError("session " + session + " is not in the API's answer: " + answer);
    }

    /** To target/screenshots, and with -Dwgmon.screenshots.update=true to docs/screenshots for the README. */
    private static void screenshot(Chromium browser, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser.screenshot(SCREENSHOTS.resolve(name));
        if (Boolean.getBoolean("wgmon.screenshots.update")) {
            Files.createDirectories(DOCS_SCREENSHOTS);
            Files.copy(SCREENSHOTS.resolve(name), DOCS_SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("OPS: screenshot updated: " + DOCS_SCREENSHOTS.resolve(name));
        }
    }

    private static String filterBy(String text) {
        return "(f => { f.value = '" + text + "'; f.dispatchEvent(new Event('input')); return true; })(document.querySelector('#filter'))";
    }

    /** The names in the table's order, space-separated (an expression). */
    private static String names() {
        return "[...document.querySelectorAll('#peers tbody td.name')].map(td => td.textContent).join(' ')";
    }

    private static String rowIs(Testbed.Client client, String state) {
        return "(document.querySelector('tr[data-key=\"" + client.publicKey() + "\"]') || {dataset: {}}).dataset.state === '"
                + state + "'";
    }

    private static String rowState(Chromium browser, Testbed.Client client) throws IOException {
        return browser.evaluate("document.querySelector('tr[data-key=\"" + client.publicKey() + "\"]').dataset.state").asText();
    }

    private static String rowName(Chromium browser, Testbed.Client client) throws IOException {
        return browser.evaluate("document.querySelector('tr[data-key=\"" + client.publicKey() + "\"] td.name').textContent").asText();
    }

    private static String health(JsonNode targets, String job) {
        for (JsonNode target : targets) {
            if (target.at("/labels/job").asText().equals(job)) {
                return target.path("health").asText();
            }
        }
        return "absent";
    }

    private static String lastError(JsonNode targets, String job) {
        for (JsonNode target : targets) {
            if (target.at("/labels/job").asText().equals(job)) {
                return target.path("lastError").asText();
            }
        }
        return "";
    }

    private static void awaitValue(PrometheusServer prometheus, String promql, double expected) throws Exception {
        awaitTrue(promql + " == " + expected, Duration.ofSeconds(15),
                () -> Objects.equals(prometheus.value(promql), expected));
    }

    private static void awaitTrue(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }
}
