package io.wgmon.tracking;

import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.PeerStateKey;
import io.wgmon.store.PeerStateRow;
import io.wgmon.store.PeerStateTable;
import io.wgmon.store.SessionChanges;
import io.wgmon.store.SessionTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.wireguard.Endpoints;
import io.wgmon.wireguard.Peer;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The tracker's state in the store's {@code peer_state} table (docs/architecture.md#tracking, docs/architecture.md#store): read at
 * start-up; each scan's changes go to the {@link EventOutbox} with its events, which commits them together.
 */
public final class StoredTrackerState implements TrackerState {
    private static final Logger LOG = Logger.getLogger(StoredTrackerState.class);

    private final StoreDatabase database;
    private final PeerStateJournal journal;
    private final SessionLog sessions;
    private final Clock clock;
    private final IntConsumer sessionsOpened;

    /**
     * @param idleTimeout    the tracker's; activity alone is written at most every tenth of it per peer
     * @param sessionsOpened told how many session rows a scan opens (history retention counts them)
     */
    public StoredTrackerState(StoreDatabase database, Duration idleTimeout, Clock clock, IntConsumer sessionsOpened) {
        this.database = database;
        this.sessionsOpened = sessionsOpened;
        this.journal = new PeerStateJournal(idleTimeout.dividedBy(10));
        this.sessions = new SessionLog(idleTimeout);
        this.clock = clock;
    }

    @Override
    public List<PeerState> load() {
        List<PeerState> states = database.call(connection -> {
            int orphans = SessionTable.closeOrphans(connection, SessionLog.RESTART_GAP);
            if (orphans > 0) {
                LOG.warnf("%d open sessions had no saved peer state; ended %s at their peer's last known activity",
                        orphans, SessionLog.RESTART_GAP);
            }
            return PeerStateTable.all(connection);
        }).stream().map(StoredTrackerState::state).toList();
        journal.seed(states);
        sessions.restored(states, clock.instant());
        LOG.infof("Tracker state from %s: %d peers, %d connected", database.dir().resolve(StoreDatabase.FILE),
                states.size(), states.stream().filter(PeerState::connected).count());
        return states;
    }

    @Override
    public PeerStateChanges changes(List<PeerState> peers, boolean all) {
        return rows(journal.changes(peers, all));
    }

    private PeerStateChanges rows(PeerStateJournal.Changes changes) {
        if (changes.isEmpty()) {
            return PeerStateChanges.NONE;
        }
        Instant now = clock.instant();
        return new PeerStateChanges(changes.upserts().stream().map(state -> row(state, now)).toList(),
                changes.deletes().stream().map(key -> new PeerStateKey(key.interfaceName(), key.publicKey())).toList(),
                SessionChanges.NONE);
    }

    @Override
    public PeerStateChanges changes(List<PeerState> changed, List<PeerKey> removed, List<PeerState> peers) {
        return rows(journal.changes(changed, removed));
    }

    @Override
    public SessionChanges sessions(List<PeerEvent> events, List<PeerState> changed, List<PeerState> peers, Instant now) {
        SessionChanges changes = sessions.changes(events, changed, peers, now);
        if (!changes.opened().isEmpty()) {
            sessionsOpened.accept(changes.opened().size());
        }
        return changes;
    }

    static PeerStateRow row(PeerState state, Instant updatedAt) {
        Peer peer = state.last();
        return new PeerStateRow(state.key().interfaceName(), state.key().publicKey(),
                Optional.ofNullable(peer.lastHandshake()), state.connected(),
                Optional.ofNullable(state.connectedSince()), peer.rxBytes(), peer.txBytes(),
                Optional.ofNullable(peer.endpointText()), updatedAt, state.reported(),
                Optional.ofNullable(state.lastActivity()),
                Optional.ofNullable(state.session()).map(session -> new PeerStateRow.SessionStart(session.id(),
                        session.rxAtStart(), session.txAtStart())));
    }

    /** A saved row as the tracker holds it; allowed IPs and keepalive are not kept (the next scan has them). */
    static PeerState state(PeerStateRow row) {
        Peer peer = new Peer(row.publicKey(), row.endpoint().map(StoredTrackerState::endpoint).orElse(null),
                List.of(), row.lastHandshake().orElse(null), row.rxBytes(), row.txBytes(), 0, 1);
        boolean reported = row.connected() && row.reported();
        return new PeerState(new PeerKey(row.interfaceName(), row.publicKey()), peer,
                row.connected() ? row.connectedSince().orElse(row.updatedAt()) : null,
                row.lastActivity().orElse(row.updatedAt()), reported,
                reported ? row.session().map(s -> new OpenSession(s.id(), s.rxBytes(), s.txBytes())).orElse(null) : null);
    }

    /** "192.0.2.2:51820" or "[2001:db8::2]:51820" as {@link Endpoints#format} wrote it; null if unreadable. */
    static InetSocketAddress endpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.matches("[0-9A-Fa-f.:]+")) {
            return null;
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port < 0 || port > 65535 ? null : new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
    }
}
