package io.wgmon.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.wgmon.netlink.LinkChange;
import io.wgmon.netlink.LinkMessageParser;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.os.Errno;
import io.wgmon.os.LibC;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The lifecycle watcher's rtnetlink socket subscribed to {@code RTNLGRP_LINK}: reads what is queued
 * and tells whether a link that matters (a WireGuard or tun link, or one the last scan read) appeared,
 * changed or went away. Read by the {@code wgmon-links} thread only.
 */
final class LinkNotifications implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LinkNotifications.class);
    private static final int RTMGRP_LINK = 1;
    private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    private static final Set<String> DAEMON_LINK_KINDS = Set.of("wireguard", "tun");

    private final NetlinkSocket socket;
    private final Predicate<String> watchedInterface;
    private final Predicate<String> scannedInterface;
    private final Consumer<String> wentAway;
    private final Counter events;
    private final Counter malformed;
    private final LinkMessageParser parser = new LinkMessageParser();

    /**
     * @param watchedInterface whether an interface of this name is watched at all
     * @param scannedInterface whether the last scan read an interface of this name
     * @param wentAway         told the name of a link that matters and went away
     */
    LinkNotifications(NetlinkSocket socket, Predicate<String> watchedInterface, Predicate<String> scannedInterface,
                      Consumer<String> wentAway, Counter events, Counter malformed) {
        this.socket = socket;
        this.watchedInterface = watchedInterface;
        this.scannedInterface = scannedInterface;
        this.wentAway = wentAway;
        this.events = events;
        this.malformed = malformed;
    }

    /** Opens the socket in the calling thread's network namespace; null (and a WARN) when it cannot. */
    static NetlinkSocket openSocket(LibC libc) {
        NetlinkSocket socket = null;
        try {
            socket = NetlinkSocket.open(libc, Netlink.NETLINK_ROUTE, RECEIVE_BUFFER_BYTES);
            socket.bind(RTMGRP_LINK);
            return socket;
        } catch (NetlinkException e) {
            if (socket != null) {
                socket.close();
            }
            LOG.warnf("Cannot watch network links (rtnetlink RTNLGRP_LINK: %s); a WireGuard interface that goes away "
                    + "is noticed by scans only", e.getMessage());
            return null;
        }
    }

    int descriptor() {
        return socket.descriptor();
    }

    /** Reads every queued notification without waiting; whether a scan is due. */
    boolean read() {
        boolean changed = false;
        while (true) {
            List<NetlinkMessage> datagram;
            try {
                datagram = socket.receiveNow();
            } catch (NetlinkException e) {
                if (e.reason() == NetlinkException.Reason.SYSTEM_CALL && e.errno() == Errno.ENOBUFS) {
                    // notifications were lost while the buffer was full: whatever they said, look again
                    events.increment();
                    changed = true;
                    continue;
                }
                if (e.reason() == NetlinkException.Reason.MALFORMED) {
                    malformed.increment();
                    LOG.debugf("Skipped a malformed rtnetlink datagram: %s", e.getMessage());
                    continue;
                }
                throw e;
            }
            if (datagram.isEmpty()) {
                return changed;
            }
            for (NetlinkMessage message : datagram) {
                changed |= linkMessage(message);
            }
        }
    }

    private boolean linkMessage(NetlinkMessage message) {
        if (!LinkMessageParser.isLinkMessage(message.type())) {
            return false;
        }
        LinkChange change;
        try {
            change = parser.parse(message.type(), message.payload());
        } catch (LinkMessageParser.MalformedLinkMessage e) {
            malformed.increment();
            LOG.debugf("Skipped a malformed link notification: %s", e.getMessage());
            return false;
        }
        if (change.name() == null || change.name().isEmpty()) {
            malformed.increment();
            LOG.debugf("Skipped a link notification without IFLA_IFNAME (link %d)", change.index());
            return false;
        }
        boolean relevant = watchedInterface.test(change.name())
                && (DAEMON_LINK_KINDS.contains(change.kind()) || scannedInterface.test(change.name()));
        if (!relevant) {
            return false;
        }
        events.increment();
        if (change.deleted()) {
            LOG.infof("Link %s (%s) went away: scanning", change.name(), change.kind() == null ? "no kind" : change.kind());
            wentAway.accept(change.name());
        } else {
            LOG.debugf("Link %s (%s) appeared or changed: scanning", change.name(), change.kind());
        }
        return true;
    }

    @Override
    public void close() {
        socket.close();
    }
}
