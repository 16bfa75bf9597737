package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@code AF_NETLINK} raw socket. One thread at a time receives (receive, request and dump
 * share the receive buffer); {@link #send(byte[])} and {@link #close()} may be called from any
 * thread. A receive blocks in a {@link ReadinessWaiter}, so an idle reader costs nothing, and
 * {@link #close()} wakes it and closes the socket once the reader has let go of it.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 32 * 1024;

    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SOCKADDR_NL_LENGTH = 12;

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final int fd;
    private final ReadinessWaiter readiness;
    private final byte[] receiveBuffer;
    private final AtomicInteger sequence = new AtomicInteger(1);
    private final Object receiving = new Object();

    private NetlinkSocket(LibC libc, int fd, ReadinessWaiter readiness, int receiveBufferBytes) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.fd = fd;
        this.readiness = readiness;
        this.receiveBuffer = new byte[receiveBufferBytes];
    }

    /** Opens a socket for a netlink protocol, e.g. {@link Netlink#NETLINK_NETFILTER}. */
    public static NetlinkSocket open(int protocol) {
        return open(LibC.load(), protocol, DEFAULT_RECEIVE_BUFFER_BYTES);
    }

    public static NetlinkSocket open(LibC libc, int protocol, int receiveBufferBytes) {
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        int fd = libc.socket(Netlink.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw failure(libc, "socket(AF_NETLINK, " + protocol + ")", runtime.getLastError());
        }
        ReadinessWaiter readiness;
        try {
            readiness = ReadinessWaiter.open(libc);
        } catch (NetlinkException e) {
            libc.close(fd);
            throw e;
        }
        return new NetlinkSocket(libc, fd, readiness, receiveBufferBytes);
    }

    /** Binds to the kernel-assigned port id and the given multicast groups bit mask. */
    public void bind(int groups) {
        byte[] address = ByteBuffer.allocate(SOCKADDR_NL_LENGTH).order(ByteOrder.nativeOrder())
                .putShort((short) Netlink.AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups)
                .array();
        withDescriptors(() -> check("bind", libc.bind(fd, address, address.length)));
    }

    /** Asks for a receive buffer of this size: SO_RCVBUFFORCE (needs CAP_NET_ADMIN), else SO_RCVBUF. */
    public void setReceiveBufferSize(int bytes) {
        byte[] value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(bytes).array();
        withDescriptors(() -> {
            if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, value.length) < 0) {
                check("setsockopt(SO_RCVBUF)", libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, value.length));
            }
            return 0;
        });
    }

    /** The kernel's receive buffer size (it doubles the requested value for bookkeeping). */
    public int receiveBufferSize() {
        byte[] value = new byte[4];
        int[] length = {4};
        withDescriptors(() -> check("getsockopt(SO_RCVBUF)", libc.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, length)));
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    public int nextSequence() {
        return sequence.getAndIncrement();
    }

    public void send(byte[] message) {
        withDescriptors(() -> {
            long sent = libc.send(fd, message, message.length, 0);
            if (sent < 0) {
                throw failure(libc, "send", runtime.getLastError());
            }
            if (sent != message.length) {
                throw new NetlinkProtocolException("short netlink send: " + sent + " of " + message.length + " bytes");
            }
            return 0;
        });
    }

    /**
     * Blocks until the kernel sends something, then returns the messages of one datagram. They
     * are views of the receive buffer, valid until the next receive on this socket.
     *
     * @throws NetlinkSocketClosedException when the socket is or gets closed
     * @throws NetlinkException             on a receive error, e.g. ENOBUFS after an overrun
     * @throws NetlinkProtocolException     when the datagram is malformed or was truncated
     */
    public List<NetlinkMessage> receive() {
        synchronized (receiving) {
            int length = withDescriptors(this::receiveDatagram);
            return NetlinkMessageCodec.decode(receiveBuffer, length);
        }
    }

    /**
     * Sends a request with REQUEST|ACK and waits for its acknowledgement. Other messages that
     * arrive meanwhile (such as multicast traffic) are dropped.
     *
     * @throws NetlinkException carrying the errno the kernel answered with
     */
    public void request(int type, int flags, byte[] body) {
        synchronized (receiving) {
            int seq = nextSequence();
            send(NetlinkMessageCodec.encode(type, flags | Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq, 0, body));
            while (true) {
                for (NetlinkMessage message : receive()) {
                    if (message.sequence() == seq && message.isError()) {
                        if (message.errno() != 0) {
                            throw new NetlinkException("netlink request type 0x" + Integer.toHexString(type),
                                    message.errno());
                        }
                        return;
                    }
                }
            }
        }
    }

    /**
     * Sends a REQUEST|DUMP and collects the answer until DONE. The returned messages are copies.
     *
     * @throws NetlinkException with the kernel's errno, or EINTR when the kernel marked the dump
     *                          as interrupted by a concurrent change (the caller may retry)
     */
    public List<NetlinkMessage> dump(int type, int flags, byte[] body) {
        synchronized (receiving) {
            int seq = nextSequence();
            send(NetlinkMessageCodec.encode(type, flags | Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq, 0, body));
            String operation = "netlink dump type 0x" + Integer.toHexString(type);
            List<NetlinkMessage> collected = new ArrayList<>();
            boolean interrupted = false;
            while (true) {
                for (NetlinkMessage message : receive()) {
                    if (message.sequence() != seq) {
                        continue;
                    }
                    interrupted |= message.hasFlag(Netlink.NLM_F_DUMP_INTR);
                    if (message.errno() != 0) {
                        throw new NetlinkException(operation, message.errno());
                    }
                    if (message.isDone()) {
                        if (interrupted) {
                            throw new NetlinkException(operation, Errno.EINTR,
                                    "EINTR (dump interrupted by a concurrent change, retry)");
                        }
                        return collected;
                    }
                    if (message.isError()) {
                        continue;
                    }
                    collected.add(message.copy());
                }
            }
        }
    }

    public boolean isClosed() {
        return readiness.isClosed();
    }

    /**
     * Wakes a thread blocked in receive, waits until it has let go of the descriptors, then
     * closes them. Safe to call more than once and from any thread.
     */
    @Override
    public void close() {
        readiness.close(() -> libc.close(fd));
    }

    private int receiveDatagram() {
        while (true) {
            if (!readiness.awaitReadable(fd)) {
                throw new NetlinkSocketClosedException();
            }
            long received = libc.recv(fd, receiveBuffer, receiveBuffer.length, MSG_DONTWAIT | MSG_TRUNC);
            if (received < 0) {
                int errno = runtime.getLastError();
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    continue;
                }
                throw failure(libc, "recv", errno);
            }
            if (received > receiveBuffer.length) {
                throw new NetlinkProtocolException("netlink datagram of " + received
                        + " bytes truncated to the " + receiveBuffer.length + "-byte receive buffer");
            }
            return (int) received;
        }
    }

    private interface DescriptorCall {
        int run();
    }

    private int withDescriptors(DescriptorCall call) {
        return readiness.whileOpen(call::run, NetlinkSocketClosedException::new);
    }

    private int check(String operation, int result) {
        if (result < 0) {
            throw failure(libc, operation, runtime.getLastError());
        }
        return result;
    }

    static NetlinkException failure(LibC libc, String operation, int errno) {
        return new NetlinkException(operation, errno, Errno.name(errno) + " (" + libc.strerror(errno) + ")");
    }
}
