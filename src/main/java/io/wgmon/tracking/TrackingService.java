package io.wgmon.tracking;

import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.lifecycle.LifecycleWatcher;
import io.wgmon.wireguard.Scan;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the pipeline's tracking part: packets from the source go to the {@link PacketTriage}, which asks
 * for scans; scans run one at a time (the {@link ScanRunner}); what a scan found sets the deadline timer,
 * the rechecks and the triage for the packets after it. While a peer is connected, the timer for the
 * earliest peer deadline asks for scans too ({@link PeerDeadlines}). The parts are built by the wiring.
 * <p>
 * Neither path can die silently (docs/architecture.md#tracking): a packet that cannot be handled and a scan
 * that throws are logged and counted, and the stream goes on; if the packet stream itself ends, the
 * {@link TrackingView} says why and liveness goes DOWN.
 */
public final class TrackingService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrackingService.class);

    private final PacketSource source;
    private final PacketTriage triage;
    private final ScanRequests requests;
    private final ScanRunner runner;
    private final DeadlineTimer deadlineTimer;
    private final UrgentRechecks rechecks;
    private final TrackingView view;
    private final TrackingMetrics metrics;
    private final Optional<LifecycleWatcher> lifecycle;
    private final NoPacketProbe probe;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param deadlineTimer asks {@code requests} for a scan when a connected peer's deadline falls due
     * @param rechecks      ask {@code requests} for rechecks after an urgent scan that found no connect
     * @param lifecycle     started with the packet source: link and UAPI socket changes ask for a scan at
     *                      once (docs/architecture.md#tracking), and closed with the service
     * @param probe         rearmed after each scan like the deadline timer
     */
    public TrackingService(PacketSource source, PacketTriage triage, ScanRequests requests, ScanRunner runner,
                           DeadlineTimer deadlineTimer, UrgentRechecks rechecks, TrackingView view,
                           TrackingMetrics metrics, Optional<LifecycleWatcher> lifecycle, NoPacketProbe probe) {
        this.source = source;
        this.triage = triage;
        this.requests = requests;
        this.runner = runner;
        this.deadlineTimer = deadlineTimer;
        this.rechecks = rechecks;
        this.view = view;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.probe = probe;
    }

    /** Loads the saved state, binds the packet source (its errors propagate as they are) and takes the baseline scan. */
    public void start() {
        runner.restore();
        requests.start(this::scanOnce);
        source.packets().subscribe().with(this::onPacketGuarded, this::packetStreamFailed, this::packetStreamEnded);
        source.start();
        view.markStarted();
        LOG.infof("Watching %s; WireGuard backends %s", source.describe(), view.backendNames());
        requests.request(ScanCause.START);
        lifecycle.ifPresent(watcher -> watcher.start(() -> requests.request(ScanCause.RECOVERY), this::lastScanRead));
    }

    /** Whether the last scan read (or failed to read) an interface of this name. */
    private boolean lastScanRead(String interfaceName) {
        Scan scan = view.lastScan();
        return scan != null && (scan.devices().stream().anyMatch(d -> d.name().equals(interfaceName))
                || scan.failures().stream().anyMatch(f -> interfaceName.equals(f.interfaceName())));
    }

    /** A throwing subscriber would be cancelled by Mutiny and packets would stop: never let one escape. */
    private void onPacketGuarded(PacketEvent packet) {
        try {
            triage.onPacket(packet);
        } catch (Throwable e) {
            metrics.packetError();
            LOG.errorf(e, "Cannot handle a packet from %s; skipped, later packets are handled as usual",
                    source.describe());
        }
    }

    private void packetStreamFailed(Throwable failure) {
        view.packetPathFailed("the packet stream from " + source.describe() + " failed: " + failure);
        LOG.errorf(failure, "Packet stream from %s failed; no more packets reach the tracker", source.describe());
    }

    private void packetStreamEnded() {
        if (!requests.stopped()) {
            view.packetPathFailed("the packet stream from " + source.describe() + " ended");
            LOG.errorf("Packet stream from %s ended; no more packets reach the tracker", source.describe());
        }
    }

    private void scanOnce() {
        try {
            ScanCause cause = requests.take();
            List<PeerEvent> found = runner.run(cause);
            boolean connect = false;
            for (PeerEvent event : found) {
                if (event.type() == PeerEventType.CONNECTED) {
                    connect = true;
                    // a real handshake: its urgency was deserved (forged ones find nothing), so no rationing for it
                    requests.refundUrgent();
                    if (event.peer().endpoint() != null) {
                        triage.connected(event.peer().endpoint().getAddress());
                    }
                }
            }
            rechecks.scanned(cause, connect);
        } catch (Throwable e) {
            metrics.scanError();
            LOG.errorf(e, "Scan failed unexpectedly; the next scan runs as usual");
        } finally {
            deadlineTimer.rearm();
            probe.rearm();
        }
    }

    /** Stops scanning and saves the tracker's state; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lifecycle.ifPresent(LifecycleWatcher::close);
        deadlineTimer.close();
        probe.close();
        triage.close();
        rechecks.close();
        requests.stop();
        source.close();
        requests.awaitLastScan();
        if (view.started()) {
            runner.flush();
        }
        runner.close();
    }
}
