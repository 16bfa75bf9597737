package io.wgmon.capture.nflog;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.os.Errno;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * At start, in the monitor's network namespace: reads the timeout of the rules' known endpoints (sets known4 and
 * known6 of table inet wgmon, docs/architecture.md#firewall) and says once, as a WARN, when one exceeds
 * idle-timeout: a peer back from the same endpoint after wgmon reported it gone would not be logged. Also says once
 * when the packet times (set seen4) are kept no longer than idle-timeout: an element would expire before the
 * deadline that reads it, and every deadline would dump the device. No table or set (another rule, iptables) is
 * no finding; nothing is changed in the firewall.
 */
public final class KnownEndpointsTimeoutCheck {
    private static final Logger LOG = Logger.getLogger(KnownEndpointsTimeoutCheck.class);
    static final String TABLE = "wgmon";
    static final List<String> SETS = List.of("known4", "known6");
    /** The sets the kernel dates an endpoint's last packet in (docs/architecture.md#deadlines). */
    static final String SEEN_SET = "seen4";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);

    private final Duration idleTimeout;

    public KnownEndpointsTimeoutCheck(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** @return the WARN's text, or null when every set present keeps its elements as long as it should */
    public String check() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER)) {
            for (String set : SETS) {
                Optional<Duration> timeout = timeoutOf(socket, set);
                if (timeout.isPresent() && timeout.get().compareTo(idleTimeout) > 0) {
                    String message = "The nft rules keep endpoints known for " + timeout.get().toSeconds() + "s (set inet "
                            + TABLE + " " + set + "), longer than wgmon.tracking.idle-timeout (" + idleTimeout.toSeconds()
                            + "s): a peer back from the same endpoint after wgmon reported it gone is not logged until its "
                            + "entry expires. Load the rules with a timeout of at most " + idleTimeout.toSeconds()
                            + "s (README, \"The firewall rule\")";
                    LOG.warn(message);
                    return message;
                }
            }
            Optional<Duration> seen = timeoutOf(socket, SEEN_SET);
            if (seen.isPresent() && seen.get().compareTo(idleTimeout) <= 0) {
                String message = "The nft rules keep packet times for " + seen.get().toSeconds() + "s (set inet " + TABLE
                        + " " + SEEN_SET + "), which does not outlast wgmon.tracking.idle-timeout (" + idleTimeout.toSeconds()
                        + "s): they expire before a peer's deadline reads them, so every deadline dumps the device. "
                        + "Load the rules printed by scripts/lib/wgmon-rule.sh PORT GROUP " + idleTimeout.toSeconds()
                        + "s (README, \"The firewall rule\")";
                LOG.warn(message);
                return message;
            }
        } catch (NetlinkException e) {
            LOG.debugf("Cannot read the nft rules' known endpoints: %s", e.getMessage());
        }
        return null;
    }

    /** The set's default timeout; empty for a set without one, or no such table or set. */
    static Optional<Duration> timeoutOf(NetlinkSocket socket, String set) {
        return timeoutOf(socket, set, REPLY_TIMEOUT);
    }

    /** As {@link #timeoutOf(NetlinkSocket, String)}, the reply due within {@code replyTimeout}. */
    static Optional<Duration> timeoutOf(NetlinkSocket socket, String set, Duration replyTimeout) {
        AtomicReference<Optional<Duration>> timeout = new AtomicReference<>(Optional.empty());
        try {
            socket.exchange(NftSetMessages.GET_SET_TYPE, Netlink.NLM_F_ACK, NftSetMessages.getSet(TABLE, set),
                    replyTimeout, reply -> timeout.set(NftSetMessages.timeout(reply)));
        } catch (NetlinkException e) {
            if (e.reason() == NetlinkException.Reason.REFUSED && e.errno() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
        return timeout.get();
    }
}
