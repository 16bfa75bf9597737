package io.wgmon.netlink;

import io.wgmon.os.Errno;
import io.wgmon.os.LibC;
import io.wgmon.os.OsException;
import io.wgmon.os.ReadinessWaiter;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * An {@code AF_NETLINK} raw socket. One thread at a time receives (receive, request and exchange
 * share the receive buffer); {@link #send(byte[])} and {@link #close()} may be called from any
 * thread. {@link #receive()} blocks in recv(2), a request or {@link #receiveNow()}'s caller in a
 * {@link ReadinessWaiter}'s poll(2), so an idle reader costs nothing, and {@link #close()} wakes either
 * (the waiter's eventfd; an acknowledgement the kernel sends for recv) and closes the socket once the reader
 * has let go of it. A request's deadline is the timeout of its poll(2) (docs/architecture.md#netlink).
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
    /** Where the kernel writes; only what arrived is copied into {@link #receiveBuffer}. */
    private final Pointer nativeReceiveBuffer;
    private final AtomicInteger sequence = new AtomicInteger(1);
    private final Object receiving = new Object();
    /** {@link #receive()}'s one call, made once: the reader thread's receives allocate no call object. */
    private final IntSupplier receiveBlocking = this::receiveBlocking;

    private NetlinkSocket(LibC libc, int fd, ReadinessWaiter readiness, int receiveBufferBytes) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.fd = fd;
        this.readiness = readiness;
        this.receiveBuffer = new byte[receiveBufferBytes];
        this.nativeReceiveBuffer = Memory.allocateDirect(runtime, receiveBufferBytes);
    }

    /** Opens a socket for a netlink protocol, e.g. {@link Netlink#NETLINK_NETFILTER}. */
    public static NetlinkSocket open(int protocol) {
        return open(LibC.load(), protocol, DEFAULT_RECEIVE_BUFFER_BYTES);
    }

    public static NetlinkSocket open(LibC libc, int protocol, int receiveBufferBytes) {
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        int fd = libc.socket(Netlink.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw NetlinkException.systemCall("socket(AF_NETLINK, " + protocol + ")", runtime.getLastError());
        }
        ReadinessWaiter readiness;
        try {
            readiness = ReadinessWaiter.open(libc);
        } catch (OsException e) {
            libc.close(fd);
            throw NetlinkException.systemCall(e.call(), e.errno());
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
                throw NetlinkException.systemCall("send", runtime.getLastError());
            }
            if (sent != message.length) {
                throw NetlinkException.malformed("short netlink send: " + sent + " of " + message.length + " bytes");
            }
            return 0;
        });
    }

    /**
     * Blocks until the kernel sends something, then returns the messages of one datagram. They
     * are views of the receive buffer, valid until the next receive on this socket. There is no
     * timeout: an idle reader sleeps in recv(2) and costs nothing; one system call per datagram. The socket
     * must have been bound or have sent a request, so that the kernel can answer {@link #close()}'s wake-up.
     *
     * @throws NetlinkException CLOSED when the socket is or gets closed, SYSTEM_CALL on a receive
     *                          error (e.g. ENOBUFS after an overrun), MALFORMED when the datagram
     *                          is malformed or was truncated
     */
    public List<NetlinkMessage> receive() {
        synchronized (receiving) {
            return NetlinkMessageCodec.decode(receiveBuffer, withDescriptors(receiveBlocking));
        }
    }

    /**
     * Sends a request with REQUEST|ACK and waits, without a deadline, for its acknowledgement.
     * Other messages that arrive meanwhile (such as multicast traffic) are dropped.
     *
     * @throws NetlinkException REFUSED, carrying the errno the kernel answered with
     */
    public void request(int type, int flags, byte[] body) {
        exchange(type, flags | Netlink.NLM_F_ACK, body, null, message -> {
        });
    }

    /**
     * The one request/reply path (docs/architecture.md#netlink): sends {@code body} as a request of
     * {@code type} (REQUEST is added to {@code flags}) and hands each data message of the reply to
     * {@code handler}, until the reply is complete: DONE for NLM_F_DUMP, the acknowledgement for
     * NLM_F_ACK, else the first message. The whole reply must arrive within {@code timeout}
     * (null: no deadline), enforced by the timeout of poll(2).
     *
     * @throws NetlinkException REFUSED (the kernel's errno), DUMP_INTERRUPTED (retry), TIMEOUT,
     *                          CLOSED, SYSTEM_CALL or MALFORMED; a reply cut short leaves the rest
     *                          of it queued, so the caller should close the socket then
     * @throws E                what the handler throws, which also cuts the reply short
     */
    public <E extends Exception> void exchange(int type, int flags, byte[] body, Duration timeout,
                                               ReplyHandler<E> handler) throws E {
        long deadline = timeout == null ? ReadinessWaiter.NO_DEADLINE : System.nanoTime() + timeout.toNanos();
        boolean dump = (flags & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
        String operation = (dump ? "netlink dump" : "netlink request") + " type 0x" + Integer.toHexString(type);
        synchronized (receiving) {
            int seq = nextSequence();
            int requestFlags = flags | Netlink.NLM_F_REQUEST;
            send(NetlinkMessageCodec.encode(type, requestFlags, seq, 0, body));
            ReplyReader<E> reply = new ReplyReader<>(operation, seq, requestFlags, handler);
            Supplier<NetlinkException> timedOut = () -> NetlinkException.timedOut(operation, timeout);
            while (!reply.accept(receiveUntil(deadline, timedOut))) {
                // the rest of the reply comes in the next datagram
            }
        }
    }

    /**
     * Sends messages the caller framed with {@link #nextSequence()}'s {@code sequence} (an nfnetlink batch: several
     * messages, one datagram) and waits, within {@code timeout}, for the acknowledgement carrying that sequence.
     *
     * @throws NetlinkException REFUSED (the kernel's errno), TIMEOUT, CLOSED, SYSTEM_CALL or MALFORMED, as
     *                          {@link #exchange}
     */
    public void sendAwaitingAck(byte[] messages, int sequence, String operation, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (receiving) {
            send(messages);
            ReplyReader<RuntimeException> reply = new ReplyReader<>(operation, sequence,
                    Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, message -> {
                    });
            Supplier<NetlinkException> timedOut = () -> NetlinkException.timedOut(operation, timeout);
            while (!reply.accept(receiveUntil(deadline, timedOut))) {
                // the acknowledgement comes in a later datagram
            }
        }
    }

    /**
     * The socket's descriptor, for a thread that polls it together with other descriptors (its
     * own {@link ReadinessWaiter#awaitAnyReadable}); reads go through {@link #receiveNow()}, and
     * the descriptor stays this socket's to close.
     */
    public int descriptor() {
        return fd;
    }

    /**
     * The messages of one datagram if one is waiting, else an empty list: never blocks. The
     * messages are views of the receive buffer, valid until the next receive.
     *
     * @throws NetlinkException as {@link #receive()}: SYSTEM_CALL with ENOBUFS when the kernel
     *                          dropped messages because the receive buffer was full
     */
    public List<NetlinkMessage> receiveNow() {
        synchronized (receiving) {
            int length = withDescriptors(this::receiveWaiting);
            return length < 0 ? List.of() : NetlinkMessageCodec.decode(receiveBuffer, length);
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
        readiness.close(this::wakeReceiver, () -> libc.close(fd));
    }

    /**
     * Asks the kernel for an acknowledgement (a NOOP request with ACK), so that a {@link #receive()} blocked in
     * recv(2), which the waiter's eventfd cannot wake, returns and finds the socket closing. Not waited for: a
     * receive queue too full to take it has data for the receiver anyway.
     */
    private void wakeReceiver() {
        byte[] noop = NetlinkMessageCodec.encode(Netlink.NLMSG_NOOP, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK,
                nextSequence(), 0, new byte[0]);
        libc.send(fd, noop, noop.length, MSG_DONTWAIT);
    }

    /**
     * One blocking recv(2): a datagram costs the reader one system call, not a poll(2) and a recv(2). A signal
     * restarts it unless the socket is closing; {@link #close()} wakes it ({@link #wakeReceiver()}).
     */
    private int receiveBlocking() {
        while (true) {
            long received = libc.recv(fd, nativeReceiveBuffer, receiveBuffer.length, MSG_TRUNC);
            int errno = received < 0 ? runtime.getLastError() : 0;
            if (readiness.isClosed()) {
                throw NetlinkException.closed(); // what woke it may be close's acknowledgement: not the caller's
            }
            if (received >= 0) {
                return copied(received);
            }
            if (errno != Errno.EINTR) {
                throw NetlinkException.systemCall("recv", errno);
            }
        }
    }

    private List<NetlinkMessage> receiveUntil(long deadline, Supplier<NetlinkException> timedOut) {
        int length = withDescriptors(() -> receiveDatagram(deadline, timedOut));
        return NetlinkMessageCodec.decode(receiveBuffer, length);
    }

    private int receiveDatagram(long deadline, Supplier<NetlinkException> timedOut) {
        while (true) {
            switch (awaitReadable(deadline)) {
                case CLOSING -> throw NetlinkException.closed();
                case TIMED_OUT -> throw timedOut.get();
                case READY -> {
                }
            }
            int received = receiveWaiting();
            if (received >= 0) {
                return received;
            }
        }
    }

    private ReadinessWaiter.Wait awaitReadable(long deadline) {
        try {
            return readiness.awaitReadable(fd, deadline);
        } catch (OsException e) {
            throw NetlinkException.systemCall(e.call(), e.errno());
        }
    }

    /** One non-blocking recv: the datagram's length, or -1 when none was waiting (or EINTR). */
    private int receiveWaiting() {
        long received = libc.recv(fd, nativeReceiveBuffer, receiveBuffer.length, MSG_DONTWAIT | MSG_TRUNC);
        if (received < 0) {
            int errno = runtime.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return -1;
            }
            throw NetlinkException.systemCall("recv", errno);
        }
        return copied(received);
    }

    private int copied(long received) {
        if (received > receiveBuffer.length) {
            throw NetlinkException.malformed("netlink datagram of " + received
                    + " bytes truncated to the " + receiveBuffer.length + "-byte receive buffer");
        }
        nativeReceiveBuffer.get(0, receiveBuffer, 0, (int) received);
        return (int) received;
    }

    private int withDescriptors(IntSupplier call) {
        return readiness.whileOpenInt(call, NetlinkException::closed);
    }

    private int check(String operation, int result) {
        if (result < 0) {
            throw NetlinkException.systemCall(operation, runtime.getLastError());
        }
        return result;
    }
}
