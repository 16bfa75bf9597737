package io.wgmon.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the tracker's roams say over time (docs/architecture.md#tracking), in the time of the scans:
 * <ul>
 *   <li>{@code peer.roamed} at most once per peer per {@link #ROAM_INTERVAL}; the roams in between are
 *       counted in the next one's {@code suppressed};</li>
 *   <li>{@code peer.endpoint-conflict} when one key went back and forth between the same two endpoints
 *       {@link #CONFLICT_FLIPS} times or more within {@link #CONFLICT_WINDOW} (two devices with one config),
 *       once per window; a roam, or a roam and back, is no conflict.</li>
 * </ul>
 * Only peers that roamed within the window are kept. Called on the scan thread only.
 */
public final class EndpointWatch {
    static final Duration ROAM_INTERVAL = Duration.ofMinutes(1);
    static final int CONFLICT_FLIPS = 3;
    static final Duration CONFLICT_WINDOW = Duration.ofMinutes(10);

    private record Flip(Instant at, Set<String> between) {
    }

    private static final class Roams {
        final ArrayDeque<Flip> flips = new ArrayDeque<>();
        Instant lastReported;
        int suppressed;
        Instant lastConflict;
    }

    private final Supplier<UUID> ids;
    private final Map<PeerKey, Roams> roams = new HashMap<>();

    public EndpointWatch(Supplier<UUID> ids) {
        this.ids = ids;
    }

    /** The tracker's events of one scan, with its roams rate-limited and any conflict they show added. */
    List<PeerEvent> apply(List<PeerEvent> found, Instant now) {
        List<PeerEvent> out = new ArrayList<>(found.size());
        for (PeerEvent event : found) {
            if (event.type() != PeerEventType.ROAMED || !(event.detail() instanceof EventDetail.Roamed roamed)) {
                out.add(event);
                continue;
            }
            Roams peer = roams.computeIfAbsent(event.key(), key -> new Roams());
            String to = event.peer().endpointText();
            peer.flips.addLast(new Flip(event.time(), Set.of(roamed.previousEndpoint(), to)));
            expire(peer, event.time());
            if (peer.lastReported == null || !event.time().isBefore(peer.lastReported.plus(ROAM_INTERVAL))) {
                out.add(withDetail(event, PeerEventType.ROAMED,
                        new EventDetail.Roamed(roamed.previousEndpoint(), peer.suppressed)));
                peer.lastReported = event.time();
                peer.suppressed = 0;
            } else {
                peer.suppressed++;
            }
            Flip last = peer.flips.peekLast();
            long flips = peer.flips.stream().filter(flip -> flip.between().equals(last.between())).count();
            boolean quiet = peer.lastConflict != null && event.time().isBefore(peer.lastConflict.plus(CONFLICT_WINDOW));
            if (flips >= CONFLICT_FLIPS && !quiet) {
                peer.lastConflict = event.time();
                out.add(withDetail(event, PeerEventType.ENDPOINT_CONFLICT, new EventDetail.EndpointConflict(
                        List.of(roamed.previousEndpoint(), to), (int) flips, CONFLICT_WINDOW)));
            }
        }
        forget(now);
        return out;
    }

    /** Peers whose roams no longer matter: no flip in the window, nothing held back, no conflict to keep quiet. */
    private void forget(Instant now) {
        Iterator<Roams> all = roams.values().iterator();
        while (all.hasNext()) {
            Roams peer = all.next();
            expire(peer, now);
            boolean reportedLately = peer.lastReported != null && now.isBefore(peer.lastReported.plus(ROAM_INTERVAL));
            boolean conflictLately = peer.lastConflict != null && now.isBefore(peer.lastConflict.plus(CONFLICT_WINDOW));
            if (peer.flips.isEmpty() && !reportedLately && !conflictLately) {
                all.remove();
            }
        }
    }

    private static void expire(Roams peer, Instant now) {
        while (!peer.flips.isEmpty() && !peer.flips.peekFirst().at().isAfter(now.minus(CONFLICT_WINDOW))) {
            peer.flips.removeFirst();
        }
    }

    private PeerEvent withDetail(PeerEvent event, PeerEventType type, EventDetail detail) {
        UUID id = type == event.type() ? event.id() : ids.get();
        return new PeerEvent(id, type, event.time(), event.host(), event.key(), event.peer(), event.name(), null, null,
                detail);
    }
}
