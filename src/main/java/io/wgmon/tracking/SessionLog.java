package io.wgmon.tracking;

import io.wgmon.store.SessionChanges;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns a scan's events and the tracker's state into {@code session} rows (docs/architecture.md#restarts):
 * a reported connect opens one, an endpoint change of an open one is added to it (whether or not roaming
 * is reported), a disconnect ends it with its reason and bytes. An idle end the first scan after a restart
 * decides, whose idle moment fell while wgmon was down, is {@code wgmon-restart-gap}, ended at the last
 * activity known. Pure logic, on the scan thread.
 */
final class SessionLog {
    static final String RESTART_GAP = "wgmon-restart-gap";

    private final Duration idleTimeout;
    private final Map<UUID, String> endpoints = new HashMap<>();
    private Instant restoredAt = Instant.MIN;

    SessionLog(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** The sessions an earlier run left open, as restored at {@code at}. */
    void restored(List<PeerState> states, Instant at) {
        restoredAt = at;
        states.stream().filter(state -> state.session() != null)
                .forEach(state -> endpoints.put(state.session().id(), state.last().endpointText()));
    }

    /**
     * @param changed the states the scan changed or added: an event's peer is among them (or gone), and no
     *                other peer's endpoint moved
     * @param peers   every peer's state after the scan
     */
    SessionChanges changes(List<PeerEvent> events, List<PeerState> changed, List<PeerState> peers, Instant now) {
        Map<PeerKey, PeerState> byKey = new HashMap<>();
        changed.forEach(state -> byKey.put(state.key(), state));
        List<SessionChanges.Opened> opened = new ArrayList<>();
        List<SessionChanges.Closed> closed = new ArrayList<>();
        for (PeerEvent event : events) {
            if (event.sessionId() == null) {
                continue;
            }
            if (event.type() == PeerEventType.CONNECTED) {
                PeerState state = byKey.get(event.key());
                Instant start = state != null && state.connectedSince() != null ? state.connectedSince() : event.time();
                opened.add(new SessionChanges.Opened(event.sessionId(), event.interfaceName(), event.key().publicKey(),
                        event.name(), start, event.peer().endpointText()));
                endpoints.put(event.sessionId(), event.peer().endpointText());
            } else if (event.type() == PeerEventType.DISCONNECTED) {
                endpoints.remove(event.sessionId());
                closed.add(closing(event, byKey.get(event.key())));
            }
        }
        List<SessionChanges.Moved> moved = new ArrayList<>();
        for (PeerState state : changed) {
            OpenSession session = state.session();
            if (session == null || !endpoints.containsKey(session.id())) {
                continue;
            }
            String endpoint = state.last().endpointText();
            if (endpoint != null && !Objects.equals(endpoint, endpoints.get(session.id()))) {
                moved.add(new SessionChanges.Moved(session.id(), now, endpoint));
                endpoints.put(session.id(), endpoint);
            }
        }
        if (endpoints.size() > peers.size()) {
            endpoints.keySet().retainAll(peers.stream().filter(state -> state.session() != null)
                    .map(state -> state.session().id()).toList());
        }
        return opened.isEmpty() && moved.isEmpty() && closed.isEmpty() ? SessionChanges.NONE
                : new SessionChanges(opened, moved, closed);
    }

    private SessionChanges.Closed closing(PeerEvent event, PeerState after) {
        long rx = event.traffic() == null ? 0 : event.traffic().rxBytes();
        long tx = event.traffic() == null ? 0 : event.traffic().txBytes();
        Instant lastActivity = after == null ? null : after.lastActivity();
        if (event.reason() == DisconnectReason.IDLE && lastActivity != null
                && lastActivity.plus(idleTimeout).isBefore(restoredAt)) {
            return new SessionChanges.Closed(event.sessionId(), lastActivity, RESTART_GAP, rx, tx);
        }
        return new SessionChanges.Closed(event.sessionId(), event.time(), event.reason().wireName(), rx, tx);
    }
}
