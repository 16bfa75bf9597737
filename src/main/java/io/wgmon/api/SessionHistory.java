package io.wgmon.api;

import io.wgmon.store.PeerSummaryRow;
import io.wgmon.store.SessionCursor;
import io.wgmon.store.SessionFilter;
import io.wgmon.store.SessionReader;
import io.wgmon.store.SessionRow;
import io.wgmon.store.StoreDatabase;
import io.wgmon.tracking.PeerState;
import io.wgmon.tracking.TrackingView;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The session history the API answers with (docs/architecture.md#surfaces): checks the parameters (a bad one
 * is a 400 with one line), reads the store's {@code session} rows on the reader connection and completes
 * open sessions from the tracker.
 */
@ApplicationScoped
public class SessionHistory {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Duration DEFAULT_SUMMARY_WINDOW = Duration.ofHours(24);
    static final Duration MAX_TIMELINE_WINDOW = Duration.ofDays(7);
    static final String NO_STORE = "session history needs wgmon.store.dir";
    private static final int QUOTED = 60;

    private final Optional<StoreDatabase> store;
    private final TrackingView tracking;

    public SessionHistory(Optional<StoreDatabase> store, TrackingView tracking) {
        this.store = store;
        this.tracking = tracking;
    }

    /** @param pathKey the key of {@code /api/peers/{key}/sessions}, which stands for the peer parameter */
    SessionList list(SessionParams params, Optional<String> pathKey) {
        SessionReader reader = reader();
        SessionFilter filter = filter(params, pathKey, reader);
        List<SessionRow> rows = reader.page(filter);
        Map<UUID, PeerState> live = liveSessions();
        Instant now = Instant.now();
        int limit = filter.limit();
        List<SessionView> views = rows.stream().limit(limit).map(row -> SessionView.of(row, live.get(row.id()), now))
                .toList();
        String next = rows.size() > limit ? rows.get(limit - 1).position().text() : null;
        return new SessionList(views, next);
    }

    /** As {@link #list}, as the JSON of its {@link SessionList}, written as the rows are read. */
    JsonBytes json(SessionParams params, Optional<String> pathKey) throws IOException {
        SessionReader reader = reader();
        SessionFilter filter = filter(params, pathKey, reader);
        SessionJson page = new SessionJson(filter.limit(), liveSessions(), Instant.now());
        reader.page(filter, page);
        return page.page();
    }

    private SessionFilter filter(SessionParams params, Optional<String> pathKey, SessionReader reader) {
        Optional<String> peer = pathKey.or(() -> Optional.ofNullable(params.peer())).map(key -> knownKey(key, reader));
        Optional<Instant> from = instant("from", params.from());
        Optional<Instant> to = instant("to", params.to());
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw ApiError.badRequest("from must be before to");
        }
        int limit = limit(params.limit());
        Optional<SessionCursor> cursor = Optional.ofNullable(params.cursor()).map(text -> SessionCursor.parse(text)
                .orElseThrow(() -> ApiError.badRequest("cursor: not a cursor from this API's next")));
        return new SessionFilter(peer, text(params.name()), text(params.interfaceName()), from, to,
                open(params.open()), limit, cursor);
    }

    SessionSummary summary(String fromText, String toText, String interfaceName) {
        SessionReader reader = reader();
        Instant now = Instant.now();
        Instant to = instant("to", toText).orElse(now);
        Instant from = instant("from", fromText).orElse(to.minus(DEFAULT_SUMMARY_WINDOW));
        if (!from.isBefore(to)) {
            throw ApiError.badRequest("from must be before to");
        }
        Map<String, long[]> liveBytes = new HashMap<>();
        for (PeerState state : tracking.peers()) {
            if (state.session() != null && state.connectedSince() != null && state.connectedSince().isBefore(to)) {
                liveBytes.put(state.key().interfaceName() + " " + state.key().publicKey(), new long[] {
                        state.session().rxBytes(state.last()), state.session().txBytes(state.last())});
            }
        }
        List<SessionSummary.PeerTotals> peers = reader.summary(from, to, text(interfaceName).orElse(null), now).stream()
                .map(row -> totals(row, liveBytes.get(row.interfaceName() + " " + row.publicKey())))
                .toList();
        return new SessionSummary(from, to, peers);
    }

    /** Every peer's sessions over [from, to) (default: the last 24 hours, at most 7 days) as numbers. */
    TimelineAnswer timeline(String fromText, String toText, String interfaceName) {
        StoreDatabase database = store.orElseThrow(() -> new ApiError(404, NO_STORE));
        Instant to = instant("to", toText).orElse(Instant.now());
        Instant from = instant("from", fromText).orElse(to.minus(DEFAULT_SUMMARY_WINDOW));
        if (!from.isBefore(to)) {
            throw ApiError.badRequest("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_TIMELINE_WINDOW) > 0) {
            throw ApiError.badRequest("from, to: a timeline covers at most 7 days");
        }
        return new TimelineAnswer(database.timelines(), from, to, text(interfaceName).orElse(null));
    }

    private static SessionSummary.PeerTotals totals(PeerSummaryRow row, long[] live) {
        long rx = row.rxBytes() + (live == null ? 0 : live[0]);
        long tx = row.txBytes() + (live == null ? 0 : live[1]);
        return new SessionSummary.PeerTotals(row.interfaceName(), row.publicKey(), row.name(), row.sessions(),
                row.connectedSeconds(), rx, tx);
    }

    private SessionReader reader() {
        return store.orElseThrow(() -> new ApiError(404, NO_STORE)).sessions();
    }

    private Map<UUID, PeerState> liveSessions() {
        Map<UUID, PeerState> live = new HashMap<>();
        tracking.peers().stream().filter(state -> state.session() != null)
                .forEach(state -> live.put(state.session().id(), state));
        return live;
    }

    /** The key in standard base64; 400 when it is not a key, or no peer with it is tracked or has a session. */
    private String knownKey(String text, SessionReader reader) {
        String key = PublicKeys.standard(text).orElseThrow(() -> ApiError.badRequest(
                "peer: " + quote(text) + " is not a WireGuard public key (44 characters of base64)"));
        boolean tracked = tracking.peers().stream().anyMatch(state -> state.key().publicKey().equals(key));
        if (!tracked && !reader.knows(key)) {
            throw ApiError.badRequest("peer: no peer with key " + key + " is tracked or has sessions");
        }
        return key;
    }

    private static Optional<Instant> instant(String name, String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + ": " + quote(text) + " is not an ISO-8601 instant such as "
                    + "2026-12-07T00:00:00Z");
        }
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,9}")) {
            throw ApiError.badRequest("limit: " + quote(text) + " is not a number from 1 to " + MAX_LIMIT);
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest("limit: " + limit + " is not from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    private static boolean open(String text) {
        if (text == null || text.isEmpty() || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw ApiError.badRequest("open: " + quote(text) + " is neither true nor false");
    }

    private static Optional<String> text(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The client's text, quoted, cut short, control characters shown as '?': it goes into a one-line answer. */
    static String quote(String text) {
        String cut = text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text;
        return '"' + cut.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
