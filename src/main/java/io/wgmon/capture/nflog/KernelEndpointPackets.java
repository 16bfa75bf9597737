package io.wgmon.capture.nflog;

import io.wgmon.capture.EndpointPacketTimes;
import io.wgmon.capture.EndpointPackets;
import io.wgmon.capture.nflog.NftSetMessages.SetElement;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.os.Errno;
import org.jboss.logging.Logger;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads endpoints' last packet times from the rules' sets (table inet wgmon, docs/architecture.md#firewall), through
 * nf_tables netlink in the monitor's network namespace, on the scan thread: seen4 and seen6 hold an element per
 * endpoint that the kernel refreshes with each inbound packet, sent4 and sent6 one refreshed with each message
 * (but a cookie reply) the server sends it. An element's last refresh was its timeout minus its expiration (time
 * left) ago; an element
 * with the set's default timeout carries none, so each set's is read (GETSET) and kept for a minute or until a
 * failure. Up to
 * {@link #MOST_GETS} endpoints of a family are asked for one GETSETELEM each per set, more by one dump of the set;
 * a read's requests are all answered within {@link #READ_TIMEOUT} or the read fails. One socket serves every read;
 * a failed read closes it (a reply cut short would stay queued on it) and the next opens another. A missing table
 * or set is said once, as INFO; another failure is one WARN, repeated as DEBUG until a read succeeds again.
 */
public final class KernelEndpointPackets implements EndpointPacketTimes {
    private static final Logger LOG = Logger.getLogger(KernelEndpointPackets.class);
    /** How long a read may take, all its requests together. */
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    static final int MOST_GETS = 16;
    static final String SEEN4 = "seen4";
    static final String SEEN6 = "seen6";
    static final String SENT4 = "sent4";
    static final String SENT6 = "sent6";

    private final Clock clock;
    /**
     * How long a set's default timeout is trusted: the rules may be loaded again with another timeout while wgmon
     * runs, and a stale one would misdate every element of the set.
     */
    static final Duration SET_TIMEOUT_KEPT = Duration.ofMinutes(1);

    private record SetTimeout(Duration timeout, Instant readAt) {
    }

    /** Each set's default timeout, read again after {@link #SET_TIMEOUT_KEPT} and forgotten after a failure. */
    private final Map<String, SetTimeout> setTimeouts = new HashMap<>();
    /** Whether the last read failed and said so: a failure that persists is not repeated as a WARN. */
    private boolean failing;
    /** Whether a missing table or set was said: said once for the process. */
    private boolean saidMissing;
    /** The socket of the reads, null until the first and after a failure. */
    private NetlinkSocket socket;
    /** When the current read must be over, System.nanoTime. */
    private long deadline;

    public KernelEndpointPackets(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Map<InetSocketAddress, EndpointPackets> read(Collection<InetSocketAddress> endpoints) {
        Set<InetSocketAddress> ipv4 = new LinkedHashSet<>();
        Set<InetSocketAddress> ipv6 = new LinkedHashSet<>();
        for (InetSocketAddress endpoint : endpoints) {
            if (endpoint != null && !endpoint.isUnresolved()) {
                (endpoint.getAddress() instanceof Inet4Address ? ipv4 : ipv6).add(endpoint);
            }
        }
        Map<InetSocketAddress, Instant> lastIn = new HashMap<>();
        Map<InetSocketAddress, Instant> lastOut = new HashMap<>();
        deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try {
            if (!ipv4.isEmpty() || !ipv6.isEmpty()) {
                if (socket == null) {
                    socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER);
                }
                read(SEEN4, ipv4, lastIn);
                read(SENT4, ipv4, lastOut);
                read(SEEN6, ipv6, lastIn);
                read(SENT6, ipv6, lastOut);
            }
            failing = false;
        } catch (RuntimeException e) {
            failed(e);
        }
        Map<InetSocketAddress, EndpointPackets> packets = new HashMap<>();
        for (InetSocketAddress endpoint : endpoints) {
            Instant in = lastIn.get(endpoint);
            Instant out = lastOut.get(endpoint);
            if (in != null || out != null) {
                packets.put(endpoint, new EndpointPackets(in, out));
            }
        }
        return packets;
    }

    /** Puts into {@code times} the last packet of each of {@code endpoints} that has an element in {@code set}. */
    private void read(String set, Set<InetSocketAddress> endpoints, Map<InetSocketAddress, Instant> times) {
        if (endpoints.isEmpty()) {
            return;
        }
        Optional<Duration> setTimeout = setTimeout(set);
        if (setTimeout.isEmpty()) {
            return;
        }
        ElementTimes elementTimes = new ElementTimes(endpoints, setTimeout.get(), times);
        if (endpoints.size() <= MOST_GETS) {
            for (InetSocketAddress endpoint : endpoints) {
                get(set, endpoint, elementTimes);
            }
        } else {
            dump(set, elementTimes);
        }
    }

    /** The set's default timeout, empty (and said once) when there is no such table or set, or it has none. */
    private Optional<Duration> setTimeout(String set) {
        SetTimeout known = setTimeouts.get(set);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.readAt().plus(SET_TIMEOUT_KEPT))) {
            return Optional.of(known.timeout());
        }
        Optional<Duration> timeout = KnownEndpointsTimeoutCheck.timeoutOf(socket, set, remaining());
        if (timeout.isEmpty()) {
            sayMissing(set);
        } else {
            setTimeouts.put(set, new SetTimeout(timeout.get(), now));
        }
        return timeout;
    }

    private void get(String set, InetSocketAddress endpoint, ElementTimes elementTimes) {
        try {
            socket.exchange(NftSetMessages.GET_SET_ELEM_TYPE, Netlink.NLM_F_ACK,
                    NftSetMessages.getElement(KnownEndpointsTimeoutCheck.TABLE, set, endpoint), remaining(),
                    elementTimes::take);
        } catch (NetlinkException e) {
            if (!isMissing(e)) {
                throw e;
            }
            // no element: no packet within the set's timeout (or the set went away since its timeout was read)
        }
    }

    private void dump(String set, ElementTimes elementTimes) {
        try {
            socket.exchange(NftSetMessages.GET_SET_ELEM_TYPE, Netlink.NLM_F_DUMP,
                    NftSetMessages.dumpElements(KnownEndpointsTimeoutCheck.TABLE, set), remaining(),
                    elementTimes::take);
        } catch (NetlinkException e) {
            if (!isMissing(e)) {
                throw e;
            }
            setTimeouts.remove(set);
            sayMissing(set);
        }
    }

    /** The time left for the read's next request; none left is a failure before the request is sent. */
    private Duration remaining() {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw NetlinkException.timedOut("reading the nft rules' packet times", READ_TIMEOUT);
        }
        return Duration.ofNanos(left);
    }

    private static boolean isMissing(NetlinkException e) {
        return e.reason() == NetlinkException.Reason.REFUSED && e.errno() == Errno.ENOENT;
    }

    private void sayMissing(String set) {
        if (!saidMissing) {
            saidMissing = true;
            LOG.infof("No nft set inet %s %s with a timeout: wgmon reads no packet times from the kernel, deadlines "
                    + "are confirmed by scans (README, \"The firewall rule\")", KnownEndpointsTimeoutCheck.TABLE, set);
        }
    }

    private void failed(RuntimeException e) {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        setTimeouts.clear();
        String problem = e instanceof NetlinkException ? e.getMessage() : e.toString();
        if (failing) {
            LOG.debugf("Cannot read the nft rules' packet times: %s", problem);
        } else {
            LOG.warnf("Cannot read the nft rules' packet times (table inet %s, sets %s, %s, %s and %s): %s. Deadlines "
                    + "are confirmed by scans until a read succeeds", KnownEndpointsTimeoutCheck.TABLE, SEEN4, SEEN6,
                    SENT4, SENT6, problem);
        }
        failing = true;
    }

    /** Takes the asked endpoints' elements out of a set's replies, each as the time of its last refresh. */
    private final class ElementTimes {
        private final Set<InetSocketAddress> asked;
        private final Duration setTimeout;
        private final Map<InetSocketAddress, Instant> times;

        ElementTimes(Set<InetSocketAddress> asked, Duration setTimeout, Map<InetSocketAddress, Instant> times) {
            this.asked = asked;
            this.setTimeout = setTimeout;
            this.times = times;
        }

        void take(NetlinkMessage reply) {
            Instant now = clock.instant();
            for (SetElement element : NftSetMessages.elements(reply)) {
                if (asked.contains(element.endpoint())) {
                    times.put(element.endpoint(), element.lastRefresh(setTimeout, now));
                }
            }
        }
    }
}
