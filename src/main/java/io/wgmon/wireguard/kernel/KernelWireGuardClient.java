package io.wgmon.wireguard.kernel;

import io.wgmon.os.LibC;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardClient;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Kernel WireGuard over generic netlink, in the manner of wgctrl-go's wglinux: interfaces are the
 * links of kind "wireguard" in an rtnetlink dump, a device is one {@code WG_CMD_GET_DEVICE} dump
 * (docs/architecture.md#wireguard).
 *
 * <p>Sockets are opened on first use, in the network namespace of the calling thread, and kept;
 * a socket whose reply was cut short (timeout, malformed reply) is dropped and a new one opened
 * next time. Each request must be answered within the request timeout, which the socket's poll
 * enforces: no timer thread. Calls are serialised, so any one thread at a time may use the
 * client; {@link #close()} may come from any thread. Reading devices needs CAP_NET_ADMIN;
 * listing interfaces does not.
 */
public final class KernelWireGuardClient implements WireGuardClient {
    static final int MAX_DUMP_ATTEMPTS = 3;
    private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private final Duration requestTimeout;
    private final ReplyLimits limits;
    private final FamilyIdCache family = new FamilyIdCache(this::lookUpFamily);
    private final SocketSlot route = new SocketSlot(Netlink.NETLINK_ROUTE, "NETLINK_ROUTE");
    private final SocketSlot generic = new SocketSlot(Netlink.NETLINK_GENERIC, "NETLINK_GENERIC");
    private LibC libc;
    private volatile boolean closed;

    /**
     * @param requestTimeout how long one request may wait for its complete reply
     * @param limits         bound each device dump in bytes, peers and allowed IPs (docs/architecture.md#wireguard)
     */
    public KernelWireGuardClient(Duration requestTimeout, ReplyLimits limits) {
        this.limits = limits;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("kernel WireGuard request timeout must be positive: " + requestTimeout);
        }
        this.requestTimeout = requestTimeout;
    }

    @Override
    public String backendName() {
        return "kernel";
    }

    /** The WireGuard links of the calling thread's network namespace, sorted; none without the module. */
    @Override
    public synchronized List<String> interfaceNames() throws WireGuardException {
        for (int attempt = 1; ; attempt++) {
            try {
                return exchange(route, new WireGuardLinkDump());
            } catch (WireGuardException e) {
                if (e.reason() != Reason.DUMP_INTERRUPTED || attempt == MAX_DUMP_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public synchronized Device device(String name) throws WireGuardException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > WireGuardGenl.MAX_INTERFACE_NAME_BYTES || name.indexOf('\0') >= 0) {
            throw new WireGuardException(Reason.NO_SUCH_DEVICE, "'" + name + "' is not an interface name");
        }
        return family.call(familyId -> readDevice(name, familyId));
    }

    /**
     * Whether the generic netlink family "wireguard" exists now (the module is loaded or built
     * in). A "no" is not remembered: the next call asks the kernel again.
     *
     * @throws WireGuardException when the kernel cannot be asked, e.g. on a timeout
     */
    public synchronized boolean moduleLoaded() throws WireGuardException {
        try {
            family.familyId();
            return true;
        } catch (WireGuardException e) {
            if (e.reason() == Reason.MODULE_NOT_LOADED) {
                return false;
            }
            throw e;
        }
    }

    private Device readDevice(String name, int familyId) throws WireGuardException {
        for (int attempt = 1; ; attempt++) {
            try {
                return exchange(generic, new DeviceDump(name, familyId, limits));
            } catch (WireGuardException e) {
                if (e.reason() != Reason.DUMP_INTERRUPTED) {
                    throw e;
                }
                if (attempt == MAX_DUMP_ATTEMPTS) {
                    throw new WireGuardException(Reason.DUMP_INTERRUPTED,
                            e.getMessage() + ", " + MAX_DUMP_ATTEMPTS + " times in a row");
                }
            }
        }
    }

    private int lookUpFamily() throws WireGuardException {
        return exchange(generic, new FamilyLookup(WireGuardGenl.FAMILY_NAME));
    }

    /**
     * Sends the request and feeds its reply to it until complete. A reply cut short (timeout,
     * closed socket, malformed message) drops the socket: the rest of it must not meet the next
     * request. A refusal or an interrupted dump is a complete reply and keeps it.
     */
    private <T> T exchange(SocketSlot slot, KernelRequest<T> request) throws WireGuardException {
        NetlinkSocket socket = slot.socket();
        boolean replyComplete = false;
        try {
            socket.exchange(request.type(), request.flags(), request.body(), requestTimeout, request::message);
            replyComplete = true;
        } catch (NetlinkException e) {
            replyComplete = e.reason() == NetlinkException.Reason.REFUSED || e.reason() == NetlinkException.Reason.DUMP_INTERRUPTED;
            throw request.failed(e, requestTimeout);
        } finally {
            if (!replyComplete) {
                socket.close();
            }
        }
        return request.result();
    }

    @Override
    public void close() {
        closed = true;
        route.close();
        generic.close();
    }

    /** One protocol's socket: opened when first needed, replaced once closed. */
    private final class SocketSlot {
        private final int protocol;
        private final String protocolName;
        private volatile NetlinkSocket socket;

        SocketSlot(int protocol, String protocolName) {
            this.protocol = protocol;
            this.protocolName = protocolName;
        }

        NetlinkSocket socket() throws WireGuardException {
            if (closed) {
                throw new WireGuardException(Reason.IO, "the kernel WireGuard client is closed");
            }
            NetlinkSocket current = socket;
            if (current != null && !current.isClosed()) {
                return current;
            }
            try {
                if (libc == null) {
                    libc = LibC.load();
                }
                NetlinkSocket opened = NetlinkSocket.open(libc, protocol, RECEIVE_BUFFER_BYTES);
                try {
                    opened.bind(0);
                } catch (NetlinkException e) {
                    opened.close();
                    throw e;
                }
                socket = opened;
                if (closed) {
                    opened.close();
                }
                return opened;
            } catch (NetlinkException | LinkageError e) {
                throw new WireGuardException(Reason.IO, "cannot open a " + protocolName + " socket: " + e.getMessage(), e);
            }
        }

        void close() {
            NetlinkSocket current = socket;
            if (current != null) {
                current.close();
            }
        }
    }
}
