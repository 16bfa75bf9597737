package io.wgmon.wireguard;

import io.wgmon.netlink.LibC;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkProtocolException;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.netlink.NetlinkSocketClosedException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Kernel WireGuard over generic netlink, in the manner of wgctrl-go's wglinux: interfaces are the
 * links of kind "wireguard" in an rtnetlink dump, a device is one {@code WG_CMD_GET_DEVICE} dump.
 *
 * <p>Sockets are opened on first use, in the network namespace of the calling thread, and kept;
 * a socket that timed out or saw a malformed reply is dropped and a new one opened next time.
 * Each request must be answered within the request timeout. Calls are serialised, so any one
 * thread at a time may use the client; {@link #close()} may come from any thread.
 * Reading devices needs CAP_NET_ADMIN; listing interfaces does not.
 */
public final class KernelWireGuardClient implements WireGuardClient {
    static final int MAX_DUMP_ATTEMPTS = 3;
    private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private final ReplyWatchdog watchdog;
    private final FamilyIdCache family = new FamilyIdCache(this::lookUpFamily);
    private final SocketSlot route = new SocketSlot(Netlink.NETLINK_ROUTE, "NETLINK_ROUTE");
    private final SocketSlot generic = new SocketSlot(Netlink.NETLINK_GENERIC, "NETLINK_GENERIC");
    private LibC libc;
    private volatile boolean closed;

    /** @param requestTimeout how long one request may wait for its complete reply */
    public KernelWireGuardClient(Duration requestTimeout) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("kernel WireGuard request timeout must be positive: " + requestTimeout);
        }
        this.watchdog = new ReplyWatchdog(requestTimeout);
    }

    @Override
    public String backendName() {
        return "kernel";
    }

    /** The WireGuard links of the calling thread's network namespace, sorted; none without the module. */
    @Override
    public synchronized List<String> interfaceNames() throws WireGuardException {
        for (int attempt = 1; ; attempt++) {
            NetlinkSocket socket = route.socket();
            WireGuardLinkDump dump = new WireGuardLinkDump(socket.nextSequence());
            exchange(socket, dump, "listing network links");
            try {
                return dump.names();
            } catch (DumpInterruptedException e) {
                if (attempt == MAX_DUMP_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public synchronized Device device(String name) throws WireGuardException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > WireGuardGenl.MAX_INTERFACE_NAME_BYTES || name.indexOf('\0') >= 0) {
            throw new DeviceNotFoundException("'" + name + "' is not an interface name");
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
        } catch (ModuleNotLoadedException e) {
            return false;
        }
    }

    private Device readDevice(String name, int familyId) throws WireGuardException {
        for (int attempt = 1; ; attempt++) {
            NetlinkSocket socket = generic.socket();
            DeviceDump dump = new DeviceDump(name, familyId, socket.nextSequence());
            exchange(socket, dump, name + ": reading the WireGuard device");
            try {
                return dump.device();
            } catch (DumpInterruptedException e) {
                if (attempt == MAX_DUMP_ATTEMPTS) {
                    throw new WireGuardException(e.getMessage() + ", " + MAX_DUMP_ATTEMPTS + " times in a row");
                }
            }
        }
    }

    private int lookUpFamily() throws WireGuardException {
        NetlinkSocket socket = generic.socket();
        FamilyLookup lookup = new FamilyLookup(WireGuardGenl.FAMILY_NAME, socket.nextSequence());
        exchange(socket, lookup, "looking up the wireguard generic netlink family");
        return lookup.familyId();
    }

    /**
     * Sends the request and feeds the reply to the exchange until it is complete. Any failure
     * but a complete reply drops the socket: the rest of a broken reply must not meet the next
     * request.
     */
    private void exchange(NetlinkSocket socket, NetlinkExchange exchange, String what) throws WireGuardException {
        boolean complete = false;
        ReplyWatchdog.Armed deadline = watchdog.arm(socket);
        try {
            socket.send(exchange.request());
            while (!exchange.accept(socket.receive())) {
                // the rest of the reply comes in the next datagram
            }
            complete = true;
        } catch (NetlinkSocketClosedException e) {
            throw new WireGuardException(what + ": " + (deadline.expired()
                    ? "no complete reply from the kernel within " + watchdog.timeout()
                    : "the netlink socket was closed"));
        } catch (NetlinkProtocolException | NetlinkException e) {
            throw new WireGuardException(what + ": " + e.getMessage(), e);
        } finally {
            deadline.close();
            if (!complete) {
                socket.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        route.close();
        generic.close();
        watchdog.close();
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
                throw new WireGuardException("the kernel WireGuard client is closed");
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
                throw new WireGuardException("cannot open a " + protocolName + " socket: " + e.getMessage(), e);
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
