package io.wgmon.handshake;

import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.timing.TimerSlot;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.EventDetail;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Endpoints;
import io.wgmon.wireguard.Scan;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns captured packets into {@code handshake.failed} events (docs/architecture.md#failed-handshakes): initiations
 * are classed by mac1 and counted per source in {@link FailedHandshakes}; responses and sessions' first data
 * packets, and peers a scan found connected, clear their source. One timer at a time, and none while no source is
 * tracked; sweeps at most once per {@link #MIN_SWEEP_SPACING}.
 */
public final class HandshakeFailureWatch {
    private static final Logger LOG = Logger.getLogger(HandshakeFailureWatch.class);
    static final Duration MIN_SWEEP_SPACING = Duration.ofSeconds(1);

    private final FailedHandshakes failed;
    private final InitiationClassifier classifier;
    private final HandshakeFailureMetrics metrics;
    private final Timers timers;
    private final Supplier<Scan> lastScan;
    private final String host;
    private final Consumer<List<PeerEvent>> publish;
    private final TimerSlot pending;
    /** When the pending sweep runs, in {@link Timers#nanoTime()}: a check per initiation that allocates nothing. */
    private long pendingAtNanos;
    private boolean closed;

    /**
     * @param publish hands the events to delivery and the event stream; must not block
     */
    public HandshakeFailureWatch(FailedHandshakes failed, InitiationClassifier classifier,
                                 HandshakeFailureMetrics metrics, Timers timers, Supplier<Scan> lastScan, String host,
                                 Consumer<List<PeerEvent>> publish) {
        this.failed = failed;
        this.classifier = classifier;
        this.metrics = metrics;
        this.timers = timers;
        this.lastScan = lastScan;
        this.host = host;
        this.publish = publish;
        this.pending = new TimerSlot(timers);
    }

    /** Each captured packet, on the reader thread. */
    public void onPacket(PacketEvent event) {
        if (event instanceof PacketsLost) {
            failed.packetsLost();
            return;
        }
        WireGuardPacket packet = (WireGuardPacket) event;
        if (packet.type() == MessageType.HANDSHAKE_INITIATION) {
            failed.initiation(packet.source(), packet.sourcePort(), packet.destinationPort(), packet.time(),
                    classifier.classify(packet.initiation()));
            armBy(FailedHandshakes.COMPLETION_GRACE);
        } else if (packet.type() == MessageType.HANDSHAKE_RESPONSE || packet.sessionStart()) {
            failed.completed(packet.source());
        }
    }

    /** A scan found a peer connected from this address; any thread. */
    public void connected(InetAddress address) {
        failed.completed(address);
    }

    public synchronized void close() {
        closed = true;
        pending.cancel();
    }

    /** Makes sure a sweep runs within {@code delay}: keeps an earlier timer, replaces a later one (a window's end). */
    private synchronized void armBy(Duration delay) {
        Duration spaced = delay.compareTo(MIN_SWEEP_SPACING) < 0 ? MIN_SWEEP_SPACING : delay;
        long at = timers.nanoTime() + spaced.toNanos();
        if (closed || (pending.armed() && pendingAtNanos - at <= 0)) {
            return;
        }
        pending.arm(spaced, this::sweep);
        pendingAtNanos = at;
    }

    private void sweep(long ticket) {
        synchronized (this) {
            if (!pending.take(ticket)) {
                return;
            }
        }
        Instant now = timers.now();
        try {
            List<HandshakeFailure> reports = failed.due(now);
            if (!reports.isEmpty()) {
                reports.forEach(metrics::reported);
                publish.accept(reports.stream().map(report -> event(report, now)).toList());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot report failed handshakes; the next ones are reported as usual");
        }
        Instant next = failed.nextDue();
        if (next != null) {
            armBy(Duration.between(now, next));
        }
    }

    private PeerEvent event(HandshakeFailure report, Instant now) {
        EventDetail.HandshakeFailed detail = new EventDetail.HandshakeFailed(
                Endpoints.format(new InetSocketAddress(report.source(), report.lastSourcePort())),
                report.attempts(), report.validMac1(), report.invalidMac1(), report.firstAttempt(), now,
                report.foldedSources());
        return PeerEvent.aboutSource(UUID.randomUUID(), PeerEventType.HANDSHAKE_FAILED, now, host,
                interfaceFor(report.destinationPort()), detail);
    }

    /** The watched interface listening on the port the initiations went to; its name, else the only one's. */
    private String interfaceFor(int port) {
        Scan scan = lastScan.get();
        List<Device> devices = scan == null ? List.of() : scan.devices();
        for (Device device : devices) {
            if (device.listenPort() == port) {
                return device.name();
            }
        }
        return devices.size() == 1 ? devices.get(0).name() : "port " + port;
    }
}
