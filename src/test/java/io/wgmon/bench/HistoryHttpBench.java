package io.wgmon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

/**
 * The session history's API at scale, against the packaged app started on bench/history.sh's store:
 * one peer's whole history page by page, and the status page's request for every peer's last 24 hours
 * (GET /api/sessions/timeline), each timed to its last byte. The keys are the ones the script wrote.
 *
 * With the app's pid, each figure also gets the app's CPU time per request (from /proc, in USER_HZ ticks):
 * on a loaded machine the wall time is mostly waiting for a core.
 *
 * With HISTORY_TIMES set to a file, every timed exchange is also appended to it as a line {@code kind
 * epoch-millis-at-start millis-taken} (kind: page1, page2, ... of a peer's history, or day), to line the slow
 * requests up with the app's GC log (decorated with {@code time}).
 *
 * With {@code peers-only} after the pid, only the peers' histories (warm-up included), e.g. against the bare
 * Quarkus app of bench/lib/bare-quarkus.sh, which answers any key with the bytes of a page of wgmon's: the same
 * requests, connection and pacing (the client parses each answer and follows its cursor) at the floor's cost.
 *
 *   java -cp <test classpath> io.wgmon.bench.HistoryHttpBench BASE_URL PEERS NOW_MILLIS [APP_PID [peers-only]]
 */
public final class HistoryHttpBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARM_UP = 20;
    private static final String TIMES = System.getenv("HISTORY_TIMES");

    private HistoryHttpBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int peers = Integer.parseInt(args[1]);
        Instant now = Instant.ofEpochMilli(Long.parseLong(args[2]));
        Path stat = args.length > 3 ? Path.of("/proc", args[3], "stat") : null;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        StringBuilder times = new StringBuilder();

        peers(http, base, peers, stat, times);
        if (args.length > 4 && args[4].equals("peers-only")) {
            writeTimes(times);
            return;
        }

        String timeline = base + "/api/sessions/timeline?from=" + q(now.minus(Duration.ofDays(1))) + "&to=" + q(now);
        for (int i = 0; i < WARM_UP / 4; i++) {
            getBytes(http, timeline);
        }
        long[] dayTimes = new long[50];
        byte[] body = null;
        long cpu = cpuMillis(stat);
        for (int i = 0; i < dayTimes.length; i++) {
            long wall = System.currentTimeMillis();
            long start = System.nanoTime();
            body = getBytes(http, timeline);
            dayTimes[i] = System.nanoTime() - start;
            time(times, "day", wall, dayTimes[i]);
        }
        JsonNode day = JSON.readTree(body);
        long spans = 0;
        for (JsonNode peer : day.get("peers")) {
            spans += peer.get("spans").size() / 2 + (peer.has("open") ? 1 : 0);
        }
        System.out.printf("the page's 24 hours of all peers (GET /api/sessions/timeline: %d peers, %d sessions, %d KiB "
                + "of JSON), 50 runs after %d unmeasured: p50 %.0f ms, p99 %.0f ms, max %.0f ms; the app's CPU %s "
                + "a request%n", day.get("peers").size(), spans, body.length >> 10, WARM_UP / 4, p(dayTimes, 50),
                p(dayTimes, 99), p(dayTimes, 100), cpuPer(stat, cpu, dayTimes.length, "%.0f ms"));

        String week = base + "/api/sessions/timeline?from=" + q(now.minus(Duration.ofDays(7))) + "&to=" + q(now);
        long weekStart = System.nanoTime();
        byte[] weekBody = getBytes(http, week);
        writeTimes(times);
        System.out.printf("7 days of all peers (the same endpoint, once): %d KiB of JSON in %.0f ms%n",
                weekBody.length >> 10, (System.nanoTime() - weekStart) / 1e6);

        long pagedStart = System.nanoTime();
        int pagedRows = 0;
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(get(http, base + "/api/sessions?limit=1000&from="
                    + q(now.minus(Duration.ofDays(1))) + "&to=" + q(now) + (cursor == null ? "" : "&cursor=" + cursor)));
            pagedRows += page.get("sessions").size();
            cursor = page.hasNonNull("next") ? page.get("next").textValue() : null;
        } while (cursor != null);
        System.out.printf("for comparison, the same 24 hours as full sessions (GET /api/sessions, pages of 1000, "
                + "%d sessions), once: %.0f ms%n", pagedRows, (System.nanoTime() - pagedStart) / 1e6);
    }

    /** 200 peers' whole histories at random after {@link #WARM_UP} unmeasured, timed; prints their figures. */
    private static void peers(HttpClient http, String base, int peers, Path stat, StringBuilder times)
            throws Exception {
        Random random = new Random(22);
        // the client warms up first (its own JIT and connection), and only the HTTP exchanges are timed: its JSON
        // parsing (to count the rows and follow the cursor) is the client's cost, not the API's
        for (int i = 0; i < WARM_UP; i++) {
            peerHistory(http, base, String.format("peer%038d0=", random.nextInt(peers)), new long[1], new StringBuilder());
        }
        long[] peerTimes = new long[200];
        int peerRows = 0;
        long cpu = cpuMillis(stat);
        for (int i = 0; i < peerTimes.length; i++) {
            long[] took = new long[1];
            peerRows = peerHistory(http, base, String.format("peer%038d0=", random.nextInt(peers)), took, times);
            peerTimes[i] = took[0];
        }
        System.out.printf("one peer's whole history through the API (%d sessions, pages of 1000; the exchanges timed, "
                + "the client's JSON parsing not), 200 peers at random after %d unmeasured: p50 %.1f ms, p99 %.1f ms; "
                + "the app's CPU %s a peer%n", peerRows, WARM_UP,
                p(peerTimes, 50), p(peerTimes, 99), cpuPer(stat, cpu, peerTimes.length, "%.1f ms"));
    }

    private static void writeTimes(StringBuilder times) throws Exception {
        if (TIMES != null) {
            Files.writeString(Path.of(TIMES), times, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** One peer's sessions, page by page; adds the time of the HTTP exchanges to {@code took[0]}; the rows read. */
    private static int peerHistory(HttpClient http, String base, String key, long[] took, StringBuilder times)
            throws Exception {
        int rows = 0;
        int pages = 0;
        String cursor = null;
        do {
            long wall = System.currentTimeMillis();
            long start = System.nanoTime();
            byte[] body = getBytes(http, base + "/api/peers/" + key + "/sessions?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            long taken = System.nanoTime() - start;
            took[0] += taken;
            time(times, "page" + ++pages, wall, taken);
            JsonNode page = JSON.readTree(body);
            rows += page.get("sessions").size();
            cursor = page.hasNonNull("next") ? page.get("next").textValue() : null;
        } while (cursor != null);
        return rows;
    }

    private static void time(StringBuilder times, String kind, long wallMillis, long nanos) {
        times.append(kind).append(' ').append(wallMillis).append(' ').append(String.format("%.1f", nanos / 1e6))
                .append('\n');
    }

    /** The app's user and system time so far, or -1 without its pid. */
    private static long cpuMillis(Path stat) throws Exception {
        if (stat == null) {
            return -1;
        }
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static String cpuPer(Path stat, long before, int count, String format) throws Exception {
        return stat == null ? "not measured" : String.format(format, (cpuMillis(stat) - before) / (double) count);
    }

    private static String get(HttpClient http, String url) throws Exception {
        return new String(getBytes(http, url), StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> reply = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException(url + ": HTTP " + reply.statusCode() + " "
                    + new String(reply.body(), StandardCharsets.UTF_8));
        }
        return reply.body();
    }

    private static String q(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    private static double p(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int at = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, at)] / 1e6;
    }
}
