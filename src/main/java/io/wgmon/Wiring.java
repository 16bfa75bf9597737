package io.wgmon;

import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.capture.PacketSource;
import io.wgmon.capture.nflog.NflogPacketSource;
import io.wgmon.capture.pcap.PcapPacketSource;
import io.wgmon.config.WgmonConfig;
import io.wgmon.lifecycle.LifecycleWatcher;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.ConnectionTracker;
import io.wgmon.tracking.LastPacketTimes;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.ReloadingPeerNames;
import io.wgmon.tracking.StoredTrackerState;
import io.wgmon.tracking.TrackerState;
import io.wgmon.tracking.TrackingService;
import io.wgmon.webhook.WebhookDispatcher;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardClient;
import io.wgmon.wireguard.WireGuardScanner;
import io.wgmon.wireguard.kernel.KernelWireGuardClient;
import io.wgmon.wireguard.uapi.UapiWireGuardClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds the pipeline's parts from configuration. Nothing here opens a socket: start() does. */
@ApplicationScoped
public class Wiring {
    private static final Logger LOG = Logger.getLogger(Wiring.class);

    @Produces
    @Singleton
    TrackingService trackingService(WgmonConfig config, Timers timers, MeterRegistry registry,
                                    PeerNames names, WebhookDispatcher dispatcher) {
        WgmonConfig.Tracking tracking = config.tracking();
        LastPacketTimes lastPackets = new LastPacketTimes();
        ConnectionTracker tracker = new ConnectionTracker(host(config), tracking.idleTimeout(),
                tracking.reportExisting(), tracking.reportRoaming(), names, UUID::randomUUID,
                lastPackets::lastFrom, processStart());
        WireGuardScanner scanner = new WireGuardScanner(backends(config),
                config.wireguard().interfaces().map(HashSet::new), Clock.systemUTC());
        return new TrackingService(packetSource(config, registry), scanner, tracker, lastPackets,
                tracking.coalesce(), tracking.tick(), timers, registry,
                config.wireguard().interfaces().map(Set::copyOf).orElse(Set.of()),
                Optional.of(lifecycleWatcher(config, timers, registry)), trackerState(dispatcher, tracking));
    }

    /** The tracker's state lives in the store, which exists with a spool and a receiver (docs/architecture.md#delivery). */
    private static TrackerState trackerState(WebhookDispatcher dispatcher, WgmonConfig.Tracking tracking) {
        return dispatcher.database().<TrackerState>map(database -> new StoredTrackerState(database,
                tracking.idleTimeout().dividedBy(10), Clock.systemUTC())).orElseGet(TrackerState::none);
    }

    void close(@Disposes TrackingService tracking) {
        tracking.close();
    }

    /** Link notifications always (kernel links and wireguard-go's tun); the UAPI directory when userspace is read. */
    private static LifecycleWatcher lifecycleWatcher(WgmonConfig config, Timers timers, MeterRegistry registry) {
        WgmonConfig.WireGuard wireguard = config.wireguard();
        Optional<Path> uapiDir = wireguard.backend() == WgmonConfig.Backend.KERNEL
                ? Optional.empty() : Optional.of(wireguard.uapiDir());
        Optional<Set<String>> named = wireguard.interfaces().map(Set::copyOf);
        return new LifecycleWatcher(true, uapiDir, name -> named.map(names -> names.contains(name)).orElse(true),
                timers, registry);
    }

    private static PacketSource packetSource(WgmonConfig config, MeterRegistry registry) {
        return switch (config.monitor()) {
            case NFLOG -> new NflogPacketSource(config.nflog().group(), registry, Clock.systemUTC());
            case BPF -> new PcapPacketSource(config.bpf().networkInterface(), config.bpf().filter(),
                    config.bpf().promiscuous(), registry, Clock.systemUTC());
        };
    }

    private static List<WireGuardClient> backends(WgmonConfig config) {
        WgmonConfig.WireGuard wireguard = config.wireguard();
        Duration timeout = wireguard.requestTimeout();
        ReplyLimits limits = ReplyLimits.forThisHeap();
        LOG.infof("A device reply may have up to %d bytes, %d peers and %d allowed IPs (set from the %d MiB heap)",
                limits.maxBytes(), limits.maxPeers(), limits.maxAllowedIps(), Runtime.getRuntime().maxMemory() >> 20);
        return switch (wireguard.backend()) {
            // auto: both, so a host with kernel and userspace interfaces sees all of them; without the
            // module the kernel backend simply finds no WireGuard links
            case AUTO -> List.of(new KernelWireGuardClient(timeout, limits),
                    new UapiWireGuardClient(wireguard.uapiDir(), timeout, limits));
            case KERNEL -> List.of(new KernelWireGuardClient(timeout, limits));
            case USERSPACE -> List.of(new UapiWireGuardClient(wireguard.uapiDir(), timeout, limits));
        };
    }

    /** The names of wgmon.peers.names, re-read when the files change; none without the key. */
    @Produces
    @Singleton
    PeerNames names(WgmonConfig config) {
        Optional<List<Path>> files = config.peers().names().filter(list -> !list.isEmpty());
        if (files.isEmpty()) {
            return PeerNames.none();
        }
        try {
            return new ReloadingPeerNames(files.get());
        } catch (IOException e) {
            throw new StartupFailure("wgmon.peers.names=" + files.get().stream().map(Path::toString)
                    .collect(Collectors.joining(",")) + " cannot be read: " + e);
        }
    }

    void close(@Disposes PeerNames names) {
        if (names instanceof ReloadingPeerNames reloading) {
            reloading.close();
        }
    }

    /** When this process started: the tracker's baseline reports handshakes after it as connects. */
    private static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    }

    /** The configured host name, else the kernel's (no DNS lookup). */
    public static String host(WgmonConfig config) {
        return config.host().orElseGet(() -> {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException e) {
                return System.getenv().getOrDefault("HOSTNAME", "localhost");
            }
        });
    }
}
