package io.wgmon.handshake;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which source addresses send handshake initiations that no session follows (docs/architecture.md#failed-handshakes).
 * An initiation is failed when no completed handshake (a response, a session's first data packet, or a scan
 * finding a peer connected from there) comes from its address within {@link #COMPLETION_GRACE}. Per source a
 * leaky bucket of one: the first failure is reported, then what follows is counted and reported once per
 * window, and a source quiet for a whole window is forgotten.
 * <p>
 * Hostile input stays bounded: at most {@link #MAX_SOURCES} sources are tracked; when the table is full the
 * oldest source is evicted if it was already reported, otherwise the new one is folded (counted, not tracked);
 * reports over all sources spend a {@link ReportBudget}, and a source the budget refuses is folded too. Every
 * report says how many sources were folded since the last one.
 * <p>
 * Logical time, all methods synchronized: the packet reader, the scan thread and the timer call it.
 */
public final class FailedHandshakes {
    public static final int MAX_SOURCES = 4096;
    public static final Duration COMPLETION_GRACE = Duration.ofSeconds(5);
    static final int REPORT_BURST = 10;
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(6);

    private static final class Source {
        Instant firstAttempt;
        Instant lastAttempt;
        int lastPort;
        int destinationPort;
        long valid;
        long invalid;
        long unchecked;
        /** A report was made and this source is in its quiet window. */
        boolean reported;
        Instant due;

        long attempts() {
            return valid + invalid + unchecked;
        }
    }

    private final Duration window;
    private final ReportBudget budget = new ReportBudget(REPORT_BURST, REPORT_INTERVAL);
    private final Map<InetAddress, Source> sources = new LinkedHashMap<>();
    private long foldedSinceReport;
    private long foldedTotal;

    /** @param window how long a reported source stays quiet before the next summary */
    public FailedHandshakes(Duration window) {
        this.window = window;
    }

    public synchronized void initiation(InetAddress address, int sourcePort, int destinationPort, Instant time,
                                        Mac1Class mac1) {
        Source source = sources.get(address);
        if (source == null) {
            if (sources.size() >= MAX_SOURCES && !evictEldestReported()) {
                fold();
                return;
            }
            source = new Source();
            source.firstAttempt = time;
            source.due = time.plus(COMPLETION_GRACE);
            sources.put(address, source);
        } else if (source.attempts() == 0) {
            source.firstAttempt = time;
        }
        source.lastAttempt = time;
        source.lastPort = sourcePort;
        source.destinationPort = destinationPort;
        switch (mac1) {
            case VALID -> source.valid++;
            case INVALID -> source.invalid++;
            case UNCHECKED -> source.unchecked++;
        }
    }

    /** A handshake from this address completed: its initiations were not failures. */
    public synchronized void completed(InetAddress address) {
        sources.remove(address);
    }

    /** The packet source lost packets: a completion may have been among them, so nothing pending is judged. */
    public synchronized void packetsLost() {
        sources.values().removeIf(source -> !source.reported);
    }

    /** The reports due by {@code now}; quiet sources whose window passed without an attempt are forgotten. */
    public synchronized List<HandshakeFailure> due(Instant now) {
        List<HandshakeFailure> reports = new ArrayList<>();
        Iterator<Map.Entry<InetAddress, Source>> entries = sources.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<InetAddress, Source> entry = entries.next();
            Source source = entry.getValue();
            if (source.due.isAfter(now)) {
                continue;
            }
            if (source.attempts() == 0) {
                entries.remove();
                continue;
            }
            if (!budget.take(now)) {
                entries.remove();
                fold();
                continue;
            }
            reports.add(report(entry.getKey(), source));
            source.valid = 0;
            source.invalid = 0;
            source.unchecked = 0;
            source.reported = true;
            source.due = now.plus(window);
        }
        return reports;
    }

    /** When {@link #due} next has something to do; null when nothing is tracked. */
    public synchronized Instant nextDue() {
        Instant next = null;
        for (Source source : sources.values()) {
            if (next == null || source.due.isBefore(next)) {
                next = source.due;
            }
        }
        return next;
    }

    public synchronized int trackedSources() {
        return sources.size();
    }

    /** Sources folded since start. */
    public synchronized long foldedSources() {
        return foldedTotal;
    }

    private HandshakeFailure report(InetAddress address, Source source) {
        Mac1Class mac1 = source.valid > 0 ? Mac1Class.VALID : source.invalid > 0 ? Mac1Class.INVALID : Mac1Class.UNCHECKED;
        HandshakeFailure failure = new HandshakeFailure(address, source.lastPort, source.destinationPort, mac1,
                source.valid, source.invalid, source.unchecked, source.firstAttempt, source.lastAttempt,
                foldedSinceReport);
        foldedSinceReport = 0;
        return failure;
    }

    private boolean evictEldestReported() {
        Iterator<Source> eldest = sources.values().iterator();
        Source source = eldest.next();
        if (!source.reported) {
            return false;
        }
        eldest.remove();
        if (source.attempts() > 0) {
            fold();
        }
        return true;
    }

    private void fold() {
        foldedSinceReport++;
        foldedTotal++;
    }
}
