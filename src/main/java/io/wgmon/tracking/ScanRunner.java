package io.wgmon.tracking;

import io.wgmon.store.PeerStateChanges;
import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.WireGuardScanner;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One scan, on the scan thread (docs/architecture.md#tracking, docs/architecture.md#delivery): reads WireGuard, lets the tracker turn the
 * scan into events, hands the events and the state changes to the {@link EventOutbox} in one call, and
 * only then publishes the events (counted, logged, emitted to the {@link TrackingView}). What follows the
 * tracker is given the states the scan changed, so its work follows the change, not the device's size.
 */
public final class ScanRunner {
    private static final Logger LOG = Logger.getLogger(ScanRunner.class);

    private final WireGuardScanner scanner;
    private final ConnectionTracker tracker;
    private final TrackerState state;
    private final EventOutbox outbox;
    private final TrackingView view;
    private final TrackingMetrics metrics;
    private final ScanProblems problems;
    private final PeerDeadlines deadlines;
    private final EventRules rules;
    private final MissingRuleDiagnosis ruleDiagnosis;
    private final Function<InetSocketAddress, Instant> lastDataFrom;
    private final KnownEndpointsAfterScan knownEndpoints;
    private final ScanPacketTimes packetTimes;
    private final DeadlineLook look;

    /**
     * @param view          written by this runner: the scans and the events
     * @param deadlines     told each scan's outcome, for the next disconnect check
     * @param rules         turn the tracker's events into the events reported (rate limits, first-seen, stale)
     * @param ruleDiagnosis told each scan's outcome: a handshake no captured packet preceded
     * @param lastDataFrom  when the capture last saw ordinary data from an endpoint (a rule logging every packet)
     * @param knownEndpoints told each scan's tracked events and peers, after they are published: disconnects
     *                      other than idle empty the firewall rules' known endpoints, connects and roams make
     *                      endpoints known
     * @param packetTimes   the tracker's dating of rx growth (its {@code lastPacketFrom}), told when each scan begins
     * @param look          asked first when a scan is asked for deadlines only: the kernel's packet times may
     *                      move every due deadline, and then the device is not dumped
     */
    public ScanRunner(WireGuardScanner scanner, ConnectionTracker tracker, TrackerState state, EventOutbox outbox,
                      TrackingView view, TrackingMetrics metrics, ScanProblems problems, PeerDeadlines deadlines,
                      EventRules rules, MissingRuleDiagnosis ruleDiagnosis,
                      Function<InetSocketAddress, Instant> lastDataFrom, KnownEndpointsAfterScan knownEndpoints,
                      ScanPacketTimes packetTimes, DeadlineLook look) {
        this.scanner = scanner;
        this.tracker = tracker;
        this.state = state;
        this.outbox = outbox;
        this.view = view;
        this.metrics = metrics;
        this.problems = problems;
        this.deadlines = deadlines;
        this.rules = rules;
        this.ruleDiagnosis = ruleDiagnosis;
        this.lastDataFrom = lastDataFrom;
        this.knownEndpoints = knownEndpoints;
        this.packetTimes = packetTimes;
        this.look = look;
    }

    /** Before the first scan: the state the last run left (may block). */
    void restore() {
        tracker.restore(state.load());
        rules.restore();
    }

    /** @return the events this scan found, committed and published; none when a deadline look settled it */
    List<PeerEvent> run(ScanCause cause) {
        if (cause == ScanCause.DEADLINE && view.lastScan() != null && look.settled()) {
            metrics.deadlineSettled();
            return List.of();
        }
        packetTimes.newScan(tracker.connectedEndpoints());
        Scan scan = Objects.requireNonNull(metrics.timeScan(cause, scanner::scan));
        boolean first = view.lastScan() == null;
        view.scanned(scan);
        metrics.scanFailures(scan.failures().size());
        problems.report(scan);
        List<PeerEvent> tracked = tracker.apply(scan);
        List<PeerState> changed = tracker.changed();
        List<PeerState> peers = tracker.peers();
        List<PeerEvent> found = rules.apply(tracked, scan.time(), changed, peers);
        outbox.commit(found, state.changes(changed, tracker.removed(), peers)
                .with(state.sessions(tracked, changed, peers, scan.time())));
        found.forEach(this::publish);
        deadlines.scanned(scan.time(), changed, tracker.removed(), packetTimes::dated);
        ruleDiagnosis.scanned(scan, changed, tracked, lastDataFrom);
        knownEndpoints.scanned(tracked, first, peers);
        if (first) {
            LOG.infof("First scan: %d WireGuard interfaces, %d peers, %d connected", scan.devices().size(),
                    tracker.peers().size(), tracker.peers().stream().filter(PeerState::connected).count());
        }
        return found;
    }

    /**
     * Events found between scans (handshake.failed), on the scan thread like a scan's: committed, then published.
     */
    public void commitEvents(List<PeerEvent> events) {
        outbox.commit(events, PeerStateChanges.NONE);
        events.forEach(this::publish);
    }

    /** After the last scan: every peer's state, activity included, through the outbox. */
    void flush() {
        outbox.commit(List.of(), state.changes(tracker.peers(), true));
    }

    /** Closes the backends and ends the event stream. */
    void close() {
        scanner.close();
        view.complete();
    }

    private void publish(PeerEvent event) {
        metrics.event(event.type());
        LOG.info(event.describe());
        view.emit(event);
    }
}
