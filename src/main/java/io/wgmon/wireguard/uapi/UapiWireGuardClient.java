package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.DevicePublicKeys;
import io.wgmon.wireguard.ReplyBudget;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardClient;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import io.wgmon.os.Errno;
import io.wgmon.os.LibC;
import io.wgmon.os.OsException;
import io.wgmon.os.UnixStreamSocket;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Userspace WireGuard (wireguard-go, boringtun) over the cross-platform UAPI: one unix socket
 * per interface, {@code <uapiDir>/<name>.sock}, answering {@code get=1}. Every request is bounded
 * in time and size ({@link ReplyLimits}: bytes, peers, allowed IPs), so a hung or babbling daemon
 * cannot hold up a scan or fill the heap (docs/architecture.md#wireguard).
 *
 * <p>A reply is received whole into one buffer and parsed at once against the device's last read, so that a
 * peer whose lines did not change is compared, not read ({@link UapiReplyParser#read}); the buffer is reused
 * from read to read. A reply larger than half the byte limit is not kept: it is parsed as it arrives.
 * Each {@code recv(2)} lands in native memory allocated once and only the bytes that arrived are copied
 * into the reply's buffer (for a Java array passed to the call, jffi mallocs a copy and copies all of it back
 * every time).
 */
public class UapiWireGuardClient implements WireGuardClient {
    private static final String SOCKET_SUFFIX = ".sock";
    /** The reply buffer's first size, before the device's replies told theirs. */
    private static final int FIRST_REPLY_BYTES = 64 * 1024;
    /**
     * One receive's most: wireguard-go writes its reply at once, so the socket holds more than 64 KiB at each
     * receive (docs/benchmarks.md, "One dump's CPU in the packaged app").
     */
    private static final int RECEIVE_BYTES = 256 * 1024;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final byte[] GET = "get=1\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Path uapiDir;
    private final Duration requestTimeout;
    private final ReplyLimits limits;
    private final DevicePublicKeys publicKeys = new DevicePublicKeys();
    /** Each device's peers as its last read left them: the next read compares with them in place. */
    private final Map<String, KnownPeers> knownPeers = new ConcurrentHashMap<>();
    private final LibC libc = LibC.load();
    /** What each receive brings, until it is copied out; one read at a time uses it, and zeroes it after. */
    private final Pointer received = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), RECEIVE_BYTES);

    public UapiWireGuardClient(Path uapiDir, Duration requestTimeout, ReplyLimits limits) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("UAPI request timeout must be positive: " + requestTimeout);
        }
        this.uapiDir = uapiDir;
        this.requestTimeout = requestTimeout;
        this.limits = limits;
    }

    @Override
    public String backendName() {
        return "userspace";
    }

    /** Listed without a glob: {@code newDirectoryStream(dir, glob)} compiles a regular expression on every call. */
    @Override
    public List<String> interfaceNames() throws WireGuardException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(uapiDir)) {
            for (Path socket : files) {
                String file = socket.getFileName().toString();
                if (file.length() > SOCKET_SUFFIX.length() && file.endsWith(SOCKET_SUFFIX) && isSocket(socket)) {
                    names.add(file.substring(0, file.length() - SOCKET_SUFFIX.length()));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | DirectoryIteratorException e) {
            throw new WireGuardException(Reason.IO, "cannot list UAPI sockets in " + uapiDir + ": " + e.getMessage(), e);
        }
        return found(names);
    }

    /** One {@code stat} of each named socket instead of reading the directory and every socket in it. */
    @Override
    public List<String> interfaceNames(Set<String> among) throws WireGuardException {
        List<String> names = new ArrayList<>();
        for (String name : among) {
            if (isInterfaceName(name) && namedSocketExists(uapiDir.resolve(name + SOCKET_SUFFIX))) {
                names.add(name);
            }
        }
        return found(names);
    }

    private List<String> found(List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        publicKeys.retainOnly(sorted);
        knownPeers.keySet().retainAll(sorted);
        return List.copyOf(sorted);
    }

    @Override
    public Device device(String name) throws WireGuardException {
        Path socket = socketOf(name);
        if (!Files.exists(socket)) {
            throw new WireGuardException(Reason.NO_SUCH_DEVICE, name + ": no UAPI socket " + socket);
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        synchronized (received) {
            ReceiveState receiving = new ReceiveState();
            try (UnixStreamSocket channel = UnixStreamSocket.open(libc)) {
                connect(channel, name, socket, deadline);
                send(channel, name, socket, deadline);
                return receive(channel, name, socket, deadline, receiving);
            } catch (OsException e) {
                throw new WireGuardException(Reason.IO, name + ": UAPI request on " + socket + " failed: " + e.getMessage(), e);
            } finally {
                // the reply carried the private key in hex
                received.setMemory(0, receiving.mostReceived, (byte) 0);
                if (receiving.copy != null) {
                    Arrays.fill(receiving.copy, (byte) 0);
                }
            }
        }
    }

    /** One read's use of {@link #received}: how much of it was written, and its copy in an array when one was needed. */
    private static final class ReceiveState {
        int mostReceived;
        byte[] copy;
    }

    /** Receives into {@link #received}: the bytes that arrived, 0 when the wait timed out, -1 at the end of the stream. */
    private int receiveChunk(UnixStreamSocket channel, String name, Path socket, long deadline, ReceiveState receiving)
            throws WireGuardException {
        int read = channel.receive(received, RECEIVE_BYTES, millisLeft(name, socket, deadline));
        receiving.mostReceived = Math.max(receiving.mostReceived, read);
        return read;
    }

    /** The {@code read} bytes {@link #received} holds, in an array the parser may be fed from. */
    private byte[] copied(ReceiveState receiving, int read) {
        if (receiving.copy == null) {
            receiving.copy = new byte[RECEIVE_BYTES];
        }
        received.get(0, receiving.copy, 0, read);
        return receiving.copy;
    }

    private void connect(UnixStreamSocket channel, String name, Path socket, long deadline) throws WireGuardException {
        try {
            channel.connect(socket, millisLeft(name, socket, deadline));
        } catch (OsException e) {
            throw connectFailed(e, name, socket);
        }
    }

    /** What connect(2)'s errno number says about the interface. */
    private WireGuardException connectFailed(OsException e, String name, Path socket) {
        return switch (e.errno()) {
            case Errno.ECONNREFUSED -> new WireGuardException(Reason.NO_SUCH_DEVICE, name + ": UAPI socket " + socket
                    + " is stale (connection refused): its WireGuard daemon is gone");
            case Errno.ENOENT -> new WireGuardException(Reason.NO_SUCH_DEVICE, name + ": no UAPI socket " + socket);
            // wireguard-go creates its sockets 0700 root: capabilities alone do not open them
            case Errno.EACCES -> new WireGuardException(Reason.PERMISSION_DENIED, name + ": permission denied on UAPI socket "
                    + socket + ": userspace WireGuard sockets belong to root; run wgmon as uid 0 to watch them");
            // the send timeout ran out while the daemon's backlog was full
            case Errno.EAGAIN -> timedOut(name, socket);
            default -> new WireGuardException(Reason.IO, name + ": UAPI request on " + socket + " failed: " + e.getMessage(), e);
        };
    }

    private void send(UnixStreamSocket channel, String name, Path socket, long deadline) throws WireGuardException {
        int sent = 0;
        while (sent < GET.length) {
            sent += channel.send(GET, sent, millisLeft(name, socket, deadline));
        }
    }

    private Device receive(UnixStreamSocket channel, String name, Path socket, long deadline, ReceiveState receiving)
            throws WireGuardException {
        ReplyBudget budget = limits.budget(name + ": UAPI reply on " + socket);
        KnownPeers known = knownPeers.computeIfAbsent(name, device -> new KnownPeers());
        synchronized (known) {
            boolean read = false;
            try {
                Device device = receive(channel, name, socket, deadline, receiving, budget, known,
                        new UapiReplyParser(name, budget, publicKeys, known));
                read = true;
                return device;
            } finally {
                if (!read) {
                    known.clear(); // what a failed read added is bounded by its budget; failed reads add up
                }
            }
        }
    }

    private Device receive(UnixStreamSocket channel, String name, Path socket, long deadline, ReceiveState receiving,
                           ReplyBudget budget, KnownPeers known, UapiReplyParser parser) throws WireGuardException {
        int keptLimit = (int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() / 2);
        byte[] reply = known.takeBuffer(Math.min(keptLimit, Math.max(FIRST_REPLY_BYTES, known.expectedReplyBytes())));
        int length = 0;
        boolean parsed = false;
        try {
            while (true) {
                int read = receiveChunk(channel, name, socket, deadline, receiving);
                if (read < 0) {
                    parsed = true;
                    return parser.read(reply, length);
                }
                if (!budget.admitBytes(read)) {
                    throw budget.exceeded();
                }
                if (length + read > reply.length) {
                    if (length + read > keptLimit) {
                        return parseAsItArrives(channel, name, socket, deadline, receiving, read, budget, parser, reply, length);
                    }
                    reply = grown(reply, length, (int) Math.min(keptLimit, Math.max(length + read, 2L * reply.length)));
                }
                // 0 bytes: the receive timeout expired; the next round checks the deadline
                received.get(0, reply, length, read);
                length += read;
                if (endsWithBlankLine(reply, length)) {
                    parsed = true;
                    return parser.read(reply, length);
                }
            }
        } finally {
            if (!parsed) {
                // the reply carried the private key in hex
                Arrays.fill(reply, 0, length, (byte) 0);
            }
        }
    }

    /**
     * Whether the bytes end with the blank line that ends a reply (or are one). wireguard-go and boringtun send
     * nothing after it until the next request; a daemon that does is read until its bytes end so, its
     * connection ends, or the request times out.
     */
    private static boolean endsWithBlankLine(byte[] reply, int length) {
        return length >= 1 && reply[0] == '\n' || length >= 2 && reply[length - 1] == '\n' && reply[length - 2] == '\n';
    }

    private static byte[] grown(byte[] reply, int length, int size) {
        byte[] larger = Arrays.copyOf(reply, size);
        Arrays.fill(reply, 0, length, (byte) 0);
        return larger;
    }

    /** The reply is larger than one kept whole: what came so far, the receive in hand and the rest as it arrives. */
    private Device parseAsItArrives(UnixStreamSocket channel, String name, Path socket, long deadline, ReceiveState receiving,
                                    int inChunk, ReplyBudget budget, UapiReplyParser parser, byte[] reply, int length)
            throws WireGuardException {
        if (parser.feed(reply, 0, length) || parser.feed(copied(receiving, inChunk), 0, inChunk)) {
            return parser.device();
        }
        return receive(channel, name, socket, deadline, receiving, budget, parser);
    }

    private Device receive(UnixStreamSocket channel, String name, Path socket, long deadline, ReceiveState receiving,
                           ReplyBudget budget, UapiReplyParser parser) throws WireGuardException {
        while (true) {
            int read = receiveChunk(channel, name, socket, deadline, receiving);
            if (read < 0) {
                return parser.device();
            }
            if (!budget.admitBytes(read)) {
                throw budget.exceeded();
            }
            // 0 bytes: the receive timeout expired; the next round checks the deadline
            if (read > 0 && parser.feed(copied(receiving, read), 0, read)) {
                return parser.device();
            }
        }
    }

    /** What is left of the request's time, at least 1 ms (0 would mean "wait forever"). */
    private int millisLeft(String name, Path socket, long deadline) throws WireGuardException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw timedOut(name, socket);
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private WireGuardException timedOut(String name, Path socket) {
        return new WireGuardException(Reason.TIMEOUT, name + ": no complete UAPI reply on " + socket + " within " + requestTimeout);
    }

    private Path socketOf(String name) throws WireGuardException {
        if (!isInterfaceName(name)) {
            throw new WireGuardException(Reason.NO_SUCH_DEVICE, "'" + name + "' is not an interface name");
        }
        return uapiDir.resolve(name + SOCKET_SUFFIX);
    }

    private static boolean isInterfaceName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    /**
     * @return whether it is a socket; false when it is something else or absent (the folder too)
     * @throws WireGuardException when it cannot be looked at, as a listing of the folder that fails
     */
    private boolean namedSocketExists(Path path) throws WireGuardException {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode") & S_IFMT) == S_IFSOCK;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new WireGuardException(Reason.IO, "cannot list UAPI sockets in " + uapiDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSocket(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode") & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
