package io.wgmon.capture.nflog;

import io.wgmon.capture.nflog.NftSetMessages.TimedEndpoint;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.os.Errno;
import org.jboss.logging.Logger;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes endpoints known to the rules (sets known4 and known6 of table inet wgmon, docs/architecture.md#firewall)
 * through nf_tables netlink, in the monitor's network namespace, on the scan thread: given each endpoint a scan saw a
 * peer connected from and that peer's last handshake, adds it with a timeout that ends at that handshake plus the
 * set's timeout, never later (an entry must be gone once wgmon may report the peer gone for silence); an endpoint
 * whose end is past is skipped. Per set: one GETSET for its timeout, then batches of at most {@link #BATCH}
 * elements, each acknowledged within a short timeout. One socket serves every add (opening and closing a netfilter
 * socket costs more than the add); a failed add closes it, since a reply cut short would stay queued on it, and the
 * next add opens another. No table or set (iptables, bpf, another rule) is said once, as INFO; another failure is
 * one WARN, repeated as DEBUG until an add succeeds again.
 */
public final class KnownEndpointsAdd {
    private static final Logger LOG = Logger.getLogger(KnownEndpointsAdd.class);
    private static final Duration REPLY_TIMEOUT = Duration.ofMillis(500);
    static final int BATCH = 256;

    private final Clock clock;
    /** Whether the last add failed and said so: a failure that persists is not repeated as a WARN. */
    private boolean failing;
    /** Whether a missing table or set was said: said once for the process. */
    private boolean saidMissing;
    /** The socket of the adds, null until the first and after a failure. */
    private NetlinkSocket socket;

    public KnownEndpointsAdd(Clock clock) {
        this.clock = clock;
    }

    /** @param lastHandshakes each endpoint a peer is connected from, with that peer's last handshake */
    public void add(Map<InetSocketAddress, Instant> lastHandshakes) {
        try {
            if (socket == null) {
                socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER);
            }
            for (String set : KnownEndpointsTimeoutCheck.SETS) {
                boolean ipv4 = set.equals(KnownEndpointsTimeoutCheck.SETS.get(0));
                Map<InetSocketAddress, Instant> family = new HashMap<>();
                lastHandshakes.forEach((endpoint, handshake) -> {
                    if (!endpoint.isUnresolved() && (endpoint.getAddress() instanceof Inet4Address) == ipv4) {
                        family.put(endpoint, handshake);
                    }
                });
                if (!family.isEmpty() && !add(socket, set, family)) {
                    break;
                }
            }
            failing = false;
        } catch (NetlinkException e) {
            if (socket != null) {
                socket.close();
                socket = null;
            }
            if (failing) {
                LOG.debugf("Cannot add to the nft rules' known endpoints: %s", e.getMessage());
            } else {
                LOG.warnf("Cannot add to the nft rules' known endpoints (table inet %s, sets %s): %s. A connected "
                        + "peer's rekeys are logged and each wakes wgmon", KnownEndpointsTimeoutCheck.TABLE,
                        String.join(" and ", KnownEndpointsTimeoutCheck.SETS), e.getMessage());
            }
            failing = true;
        }
    }

    /** @return false when the table or the set is missing */
    private boolean add(NetlinkSocket socket, String set, Map<InetSocketAddress, Instant> lastHandshakes) {
        Optional<Duration> setTimeout = KnownEndpointsTimeoutCheck.timeoutOf(socket, set);
        if (setTimeout.isEmpty()) {
            if (!saidMissing) {
                saidMissing = true;
                LOG.infof("No nft set inet %s %s with a timeout: wgmon makes no endpoint known, every handshake it "
                        + "is shown wakes it (README, \"The firewall rule\")", KnownEndpointsTimeoutCheck.TABLE, set);
            }
            return false;
        }
        Instant now = clock.instant();
        List<TimedEndpoint> elements = new ArrayList<>();
        lastHandshakes.forEach((endpoint, handshake) -> {
            Duration left = Duration.between(now, handshake.plus(setTimeout.get()));
            if (left.toMillis() > 0) {
                elements.add(new TimedEndpoint(endpoint, left));
            }
        });
        for (int from = 0; from < elements.size(); from += BATCH) {
            List<TimedEndpoint> batch = elements.subList(from, Math.min(elements.size(), from + BATCH));
            int sequence = socket.nextSequence();
            socket.sendAwaitingAck(NftSetMessages.addElements(KnownEndpointsTimeoutCheck.TABLE, set, batch, sequence),
                    sequence, "nft add element inet " + KnownEndpointsTimeoutCheck.TABLE + " " + set, REPLY_TIMEOUT);
        }
        LOG.debugf("Added %d of %d endpoints to the nft rules' known endpoints, set inet %s %s", elements.size(),
                lastHandshakes.size(), KnownEndpointsTimeoutCheck.TABLE, set);
        return true;
    }
}
