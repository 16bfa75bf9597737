package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.SessionChanges;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardClient;
import io.wgmon.wireguard.WireGuardScanner;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A scan's events reach the outbox, with the state changes, before anyone sees them: SSE, metrics and
 * logs read the events after the commit (docs/architecture.md#delivery), never in between.
 */
class ScanRunnerTest {
    /** One interface with Alice, who handshook just now. */
    private static final class OnePeer implements WireGuardClient {
        @Override
        public String backendName() {
            return "canned";
        }

        @Override
        public List<String> interfaceNames() {
            return List.of("wg0");
        }

        @Override
        public Device device(String name) {
            try {
                return new Device("wg0", null, 3000, 0, List.of(new Peer("alice",
                        new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 51820), List.of("10.10.10.2/32"),
                        Instant.now(), 100, 100, 0, 1)));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final PacketSource NO_PACKETS = new PacketSource() {
        @Override
        public void start() {
        }

        @Override
        public Multi<PacketEvent> packets() {
            return Multi.createFrom().empty();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public String describe() {
            return "no packets";
        }

        @Override
        public void close() {
        }
    };

    @Test
    void eventsAreCommittedWithTheStateChangesBeforeTheyArePublished() {
        List<String> order = new ArrayList<>();
        WireGuardScanner scanner = new WireGuardScanner(List.of(new OnePeer()), Optional.empty(), Clock.systemUTC());
        ConnectionTracker tracker = new ConnectionTracker("node-1", Duration.ofSeconds(180), false,
                key -> null, UUID::randomUUID, endpoint -> null, Instant.EPOCH);
        TrackingView view = new TrackingView(NO_PACKETS, tracker, scanner.backendNames(), Set.of());
        view.events().subscribe().with(event -> order.add("published " + event.type().wireName()));
        EventOutbox outbox = (events, changes) -> order.add("committed " + events.stream()
                .map(event -> event.type().wireName()).toList() + " with " + changes.upserts().size() + " rows");
        TrackerState state = new TrackerState() {
            @Override
            public List<PeerState> load() {
                return List.of();
            }

            @Override
            public PeerStateChanges changes(List<PeerState> peers, boolean all) {
                return new PeerStateChanges(peers.stream().map(peer -> StoredTrackerState.row(peer, Instant.EPOCH))
                        .toList(), List.of(), SessionChanges.NONE);
            }
        };
        PeerDeadlines deadlines = new PeerDeadlines(Duration.ofSeconds(180), Duration.ofSeconds(5), endpoint -> null);
        ScanRunner runner = new ScanRunner(scanner, tracker, state, outbox, view,
                new TrackingMetrics(new SimpleMeterRegistry(), view), new ScanProblems(Set.of(), List.of("canned")),
                deadlines,
                new EventRules(new EndpointWatch(UUID::randomUUID), new HistoryWatch("node-1", PeerNames.none(),
                        Duration.ZERO, false, UUID::randomUUID), HistoryStore.none(),
                        ExpectationRules.none()),
                new MissingRuleDiagnosis("canned", port -> "advice"), endpoint -> null, KnownEndpointsAfterScan.none(),
                new ScanPacketTimes(endpoint -> null, EndpointPacketTimes.none()),
                new DeadlineLook(deadlines, EndpointPacketTimes.none(), Optional::empty, Instant::now));

        runner.run(ScanCause.START);

        assertEquals(List.of("committed [peer.connected] with 1 rows", "published peer.connected"), order);
    }
}
