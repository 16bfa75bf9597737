package io.wgmon;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.capture.EndpointPacketTimes;
import io.wgmon.capture.PacketSource;
import io.wgmon.capture.nflog.KernelEndpointPackets;
import io.wgmon.capture.nflog.KnownEndpointsAdd;
import io.wgmon.capture.nflog.KnownEndpointsFlush;
import io.wgmon.capture.nflog.NflogPacketSource;
import io.wgmon.capture.pcap.PcapPacketSource;
import io.wgmon.config.WgmonConfig;
import io.wgmon.delivery.WebhookDispatcher;
import io.wgmon.handshake.FailedHandshakes;
import io.wgmon.handshake.HandshakeFailureMetrics;
import io.wgmon.handshake.HandshakeFailureWatch;
import io.wgmon.handshake.InitiationClassifier;
import io.wgmon.lifecycle.LifecycleWatcher;
import io.wgmon.store.SessionRetention;
import io.wgmon.store.StoreDatabase;
import io.wgmon.timing.Timers;
import io.wgmon.config.QuotaSettings;
import io.wgmon.config.StoreFolder;
import io.wgmon.tracking.AllPacketsRuleNotice;
import io.wgmon.tracking.AlwaysOnWatch;
import io.wgmon.tracking.ConfiguredExpectations;
import io.wgmon.tracking.Expectation;
import io.wgmon.tracking.ExpectationRules;
import io.wgmon.tracking.ExpectationStore;
import io.wgmon.tracking.PeerExpectations;
import io.wgmon.tracking.QuotaRules;
import io.wgmon.tracking.QuotaWatch;
import io.wgmon.tracking.StoredExpectations;
import io.wgmon.tracking.ConnectionTracker;
import io.wgmon.tracking.DeadlineLook;
import io.wgmon.tracking.DeadlineTimer;
import io.wgmon.tracking.EndpointWatch;
import io.wgmon.tracking.EventRules;
import io.wgmon.tracking.HistoryStore;
import io.wgmon.tracking.HistoryWatch;
import io.wgmon.tracking.StoredHistory;
import io.wgmon.tracking.HandshakeFallback;
import io.wgmon.tracking.LastPacketTimes;
import io.wgmon.tracking.KnownEndpointsAfterScan;
import io.wgmon.tracking.MissingRuleDiagnosis;
import io.wgmon.tracking.NoPacketProbe;
import io.wgmon.tracking.PacketTriage;
import io.wgmon.tracking.PeerDeadlines;
import io.wgmon.tracking.ScanPacketTimes;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.ReloadingPeerNames;
import io.wgmon.tracking.ScanCause;
import io.wgmon.tracking.ScanCoalescer;
import io.wgmon.tracking.ScanProblems;
import io.wgmon.tracking.ScanRequests;
import io.wgmon.tracking.ScanRunner;
import io.wgmon.tracking.ScanTrigger;
import io.wgmon.tracking.SessionStartTimes;
import io.wgmon.tracking.StoredTrackerState;
import io.wgmon.tracking.TrackerState;
import io.wgmon.tracking.TrackingMetrics;
import io.wgmon.tracking.TrackingService;
import io.wgmon.tracking.TrackingView;
import io.wgmon.tracking.UrgentRechecks;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Builds the pipeline's parts from configuration. Nothing here opens a socket: TrackingService.start() does. */
@ApplicationScoped
public class Wiring {
    private static final Logger LOG = Logger.getLogger(Wiring.class);

    @Produces
    @Singleton
    TrackingService trackingService(WgmonConfig config, Timers timers, MeterRegistry registry, PacketSource source,
                                    LastPacketTimes lastPackets, ConnectionTracker tracker, WireGuardScanner scanner,
                                    ScanPacketTimes packetTimes, EndpointPacketTimes kernelPacketTimes,
                                    TrackingView view, Optional<StoreDatabase> store, WebhookDispatcher outbox,
                                    Optional<SessionRetention> retention, PeerNames names,
                                    MissingRuleDiagnosis ruleDiagnosis, HistoryWatch history,
                                    ExpectationRules expectations) {
        WgmonConfig.Tracking tracking = config.tracking();
        ExecutorService scanThread = scanThread();
        ScanRequests requests = new ScanRequests(new ScanCoalescer(tracking.coalesce(), timers, scanThread), scanThread);
        TrackingMetrics metrics = new TrackingMetrics(registry, view);
        SessionStartTimes sessionStarts = new SessionStartTimes();
        PeerDeadlines deadlines = new PeerDeadlines(tracker.idleTimeout(), tracking.tick(), sessionStarts::lastFrom);
        EventRules rules = new EventRules(new EndpointWatch(UUID::randomUUID), history,
                store.<HistoryStore>map(StoredHistory::new).orElseGet(HistoryStore::none), expectations);
        ScanRunner runner = new ScanRunner(scanner, tracker, trackerState(store, tracking, retention), outbox, view, metrics,
                new ScanProblems(view.namedInterfaces(), scanner.backendNames()), deadlines, rules, ruleDiagnosis,
                lastPackets::lastFrom, switch (config.monitor()) {
                    case NFLOG -> new KnownEndpointsAfterScan(new KnownEndpointsFlush(),
                            new KnownEndpointsAdd(Clock.systemUTC())::add);
                    case BPF -> KnownEndpointsAfterScan.none();
                }, packetTimes, new DeadlineLook(deadlines, kernelPacketTimes, rules::nextDue, timers::now));
        PacketTriage triage = new PacketTriage(lastPackets, sessionStarts, new AllPacketsRuleNotice(source.describe()),
                new ScanTrigger(tracker::connectedEndpoints),
                new HandshakeFallback(timers, () -> requests.request(ScanCause.PACKET)), requests,
                failedHandshakes(config, timers, registry, view, runner, scanThread), ruleDiagnosis);
        return new TrackingService(source, triage, requests, runner,
                new DeadlineTimer(timers, tracking.tick(), () -> earliest(deadlines.earliest(), rules.nextDue()),
                        () -> requests.request(ScanCause.DEADLINE)),
                new UrgentRechecks(timers, requests::recheck), view, metrics,
                Optional.of(lifecycleWatcher(config, timers, registry)),
                new NoPacketProbe(timers, tracking.tick(), ruleDiagnosis::packetsSeen,
                        () -> requests.request(ScanCause.PROBE)));
    }

    /** First-seen and stale peers; read by the status page. */
    @Produces
    @Singleton
    HistoryWatch historyWatch(WgmonConfig config, PeerNames names, Optional<StoreDatabase> store) {
        return new HistoryWatch(host(config), names, config.tracking().staleAfter(), store.isPresent(), UUID::randomUUID);
    }

    /** Always-on and roaming peers, from the names files and wgmon.expect.* (docs/architecture.md#expectations). */
    @Produces
    @Singleton
    PeerExpectations expectations(WgmonConfig config, PeerNames names) {
        WgmonConfig.Expect expect = config.expect();
        Supplier<Map<String, Expectation>> marked = names instanceof ReloadingPeerNames reloading
                ? reloading::expectations : Map::of;
        return new ConfiguredExpectations(marked, names, Set.copyOf(expect.alwaysOn().orElse(List.of())),
                Set.copyOf(expect.roaming().orElse(List.of())), expect.grace());
    }

    /** peer.down, peer.up and peer.quota; read by the status page. */
    @Produces
    @Singleton
    ExpectationRules expectationRules(WgmonConfig config, PeerNames names, PeerExpectations expectations,
                                      Optional<StoreDatabase> store) {
        QuotaRules quotas;
        try {
            quotas = QuotaSettings.of(config.quota());
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage());
        }
        if (!quotas.isEmpty() && store.isEmpty()) {
            LOG.infof("no %s configured: quotas count traffic from wgmon's start, and a restart reports their "
                    + "thresholds again", StoreFolder.KEY);
        }
        return new ExpectationRules(new AlwaysOnWatch(host(config), names, expectations, UUID::randomUUID),
                new QuotaWatch(host(config), names, quotas, UUID::randomUUID),
                store.<ExpectationStore>map(StoredExpectations::new).orElseGet(ExpectationStore::none),
                Clock.systemUTC()::instant);
    }

    /** Read by readiness and the status page; the metrics are registered here. */
    @Produces
    @Singleton
    MissingRuleDiagnosis ruleDiagnosis(WgmonConfig config, PacketSource source, MeterRegistry registry) {
        MissingRuleDiagnosis diagnosis = new MissingRuleDiagnosis(source.describe(), port -> switch (config.monitor()) {
            case NFLOG -> ruleAdvice(port, config.nflog().group(), config.tracking().idleTimeout());
            case BPF -> "Likely the capture filter (wgmon.bpf.filter) does not match port " + port
                    + ", or wgmon.bpf.interface is not the interface these packets arrive on";
        });
        Gauge.builder("wgmon.capture.rule.missing", diagnosis, d -> d.finding() == null ? 0 : 1)
                .description("1 while a handshake was found that no captured packet preceded (the firewall rule is "
                        + "missing or wrong), else 0").register(registry);
        FunctionCounter.builder("wgmon.capture.rule.missing.detections", diagnosis, MissingRuleDiagnosis::detections)
                .description("Times a handshake was found that no captured packet preceded").register(registry);
        return diagnosis;
    }

    private static String ruleAdvice(int port, int group, Duration idleTimeout) {
        String dport = port == 0 ? "<listen port>" : String.valueOf(port);
        return "Likely the nft rules are missing, match another port than " + dport + ", or log to another group than "
                + group + ". Load wgmon's rules: nft -f wgmon.nft, the file deploy/wgmon.nft for port " + dport
                + ", log group " + group + " and known endpoints for at most " + idleTimeout.toSeconds()
                + "s, wgmon.tracking.idle-timeout (README, \"The firewall rule\")";
    }

    /** handshake.failed (docs/architecture.md#failed-handshakes); its events are committed on the scan thread. */
    private static HandshakeFailureWatch failedHandshakes(WgmonConfig config, Timers timers, MeterRegistry registry,
                                                          TrackingView view, ScanRunner runner,
                                                          ExecutorService scanThread) {
        FailedHandshakes failed = new FailedHandshakes(config.tracking().failedHandshakeWindow());
        return new HandshakeFailureWatch(failed, new InitiationClassifier(view::lastScan),
                new HandshakeFailureMetrics(registry, failed), timers, view::lastScan, host(config), events -> {
                    try {
                        scanThread.execute(() -> runner.commitEvents(events));
                    } catch (RejectedExecutionException stopping) {
                        LOG.debugf("Stopping: %d handshake.failed events not committed", events.size());
                    }
                });
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() ? b : b.isEmpty() || a.get().isBefore(b.get()) ? a : b;
    }

    /** What api, health and metrics read of tracking. */
    @Produces
    @Singleton
    TrackingView trackingView(WgmonConfig config, PacketSource source, ConnectionTracker tracker,
                              WireGuardScanner scanner) {
        return new TrackingView(source, tracker, scanner.backendNames(),
                config.wireguard().interfaces().map(Set::copyOf).orElse(Set.of()));
    }

    /** When the packet source last saw each endpoint; the tracker dates rx growth with it. */
    @Produces
    @Singleton
    LastPacketTimes lastPackets() {
        return new LastPacketTimes();
    }

    /** The kernel's last packet times of endpoints: the nft rules' seen and sent sets (docs/architecture.md#packet-times). */
    @Produces
    @Singleton
    EndpointPacketTimes endpointPacketTimes(WgmonConfig config) {
        return switch (config.monitor()) {
            case NFLOG -> new KernelEndpointPackets(Clock.systemUTC());
            case BPF -> EndpointPacketTimes.none();
        };
    }

    /** How the tracker dates rx growth: the capture's data packets and the kernel's seen sets. */
    @Produces
    @Singleton
    ScanPacketTimes scanPacketTimes(LastPacketTimes lastPackets, EndpointPacketTimes kernelPacketTimes) {
        return new ScanPacketTimes(lastPackets::lastFrom, kernelPacketTimes);
    }

    @Produces
    @Singleton
    ConnectionTracker tracker(WgmonConfig config, PeerNames names, ScanPacketTimes packetTimes) {
        WgmonConfig.Tracking tracking = config.tracking();
        return new ConnectionTracker(host(config), tracking.idleTimeout(), tracking.reportExisting(), names,
                UUID::randomUUID, packetTimes, processStart());
    }

    /** Opens nothing: {@link TrackingService#start()} starts it, and its close closes it. */
    @Produces
    @Singleton
    PacketSource packetSource(WgmonConfig config, MeterRegistry registry) {
        return switch (config.monitor()) {
            case NFLOG -> new NflogPacketSource(config.nflog().group(), registry, Clock.systemUTC(),
                    NflogPacketSource.DEFAULT_RECEIVE_BUFFER_BYTES);
            case BPF -> new PcapPacketSource(config.bpf().networkInterface(), config.bpf().filter(),
                    config.bpf().promiscuous(), registry, Clock.systemUTC(), PcapPacketSource.LIBPCAP_NAMES);
        };
    }

    /** Closed by {@link TrackingService#close()}. */
    @Produces
    @Singleton
    WireGuardScanner scanner(WgmonConfig config) {
        return new WireGuardScanner(backends(config), config.wireguard().interfaces().map(HashSet::new),
                Clock.systemUTC());
    }

    /** The one thread scans run on, {@code wgmon-scan}; shut down when tracking stops. */
    private static ExecutorService scanThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wgmon-scan");
            t.setDaemon(true);
            return t;
        });
    }

    /** Closed at shutdown by {@link PipelineStartup} already; a second close does nothing. */
    void close(@Disposes TrackingService tracking) {
        tracking.close();
    }

    /** The tracker's state lives in the store, when there is one (docs/architecture.md#delivery). */
    private static TrackerState trackerState(Optional<StoreDatabase> store, WgmonConfig.Tracking tracking,
                                             Optional<SessionRetention> retention) {
        return store.<TrackerState>map(database -> new StoredTrackerState(database, tracking.idleTimeout(),
                Clock.systemUTC(), opened -> retention.ifPresent(r -> r.opened(opened))))
                .orElseGet(TrackerState::none);
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
