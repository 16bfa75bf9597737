package io.wgmon.capture.nflog;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.os.Errno;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Empties the rules' known endpoints (sets known4 and known6 of table inet wgmon, docs/architecture.md#firewall)
 * through nf_tables netlink, in the monitor's network namespace: one batch per set, each acknowledged within a short
 * timeout, so the scan thread that calls it waits briefly at most. A missing table or set (another rule, iptables)
 * is no finding; another failure is one WARN, repeated as DEBUG until a flush succeeds again.
 */
public final class KnownEndpointsFlush implements Runnable {
    private static final Logger LOG = Logger.getLogger(KnownEndpointsFlush.class);
    private static final Duration REPLY_TIMEOUT = Duration.ofMillis(500);

    /** Whether the last flush failed and said so: a failure that persists is not repeated as a WARN. */
    private boolean failing;

    @Override
    public void run() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER)) {
            for (String set : KnownEndpointsTimeoutCheck.SETS) {
                flush(socket, set);
            }
            failing = false;
        } catch (NetlinkException e) {
            if (failing) {
                LOG.debugf("Cannot flush the nft rules' known endpoints: %s", e.getMessage());
            } else {
                LOG.warnf("Cannot flush the nft rules' known endpoints (table inet %s, sets %s): %s. A peer back from "
                        + "the same endpoint after a disconnect other than idle is logged only once its entry expires",
                        KnownEndpointsTimeoutCheck.TABLE, String.join(" and ", KnownEndpointsTimeoutCheck.SETS),
                        e.getMessage());
            }
            failing = true;
        }
    }

    private static void flush(NetlinkSocket socket, String set) {
        int sequence = socket.nextSequence();
        try {
            socket.sendAwaitingAck(NftSetMessages.flushSet(KnownEndpointsTimeoutCheck.TABLE, set, sequence), sequence,
                    "nft flush set inet " + KnownEndpointsTimeoutCheck.TABLE + " " + set, REPLY_TIMEOUT);
            LOG.debugf("Flushed the nft rules' known endpoints, set inet %s %s", KnownEndpointsTimeoutCheck.TABLE, set);
        } catch (NetlinkException e) {
            if (e.reason() != NetlinkException.Reason.REFUSED || e.errno() != Errno.ENOENT) {
                throw e;
            }
            LOG.debugf("No set inet %s %s to flush", KnownEndpointsTimeoutCheck.TABLE, set);
        }
    }
}
