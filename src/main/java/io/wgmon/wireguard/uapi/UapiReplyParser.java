package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.ReplyBudget;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import io.wgmon.wireguard.DevicePublicKeys;
import jnr.constants.platform.Errno;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the reply to a UAPI {@code get=1} request: {@code key=value} lines, device keys first,
 * each peer starting with {@code public_key}, then {@code errno=N} and a blank line.
 *
 * <p>The reply may be fed in chunks of any size as it arrives ({@link #feed}); lines are parsed
 * straight from the bytes without a String per line. Private and preshared keys are dropped:
 * the preshared key is never decoded, the private key only long enough to derive the device's
 * public key. No message ever quotes a value: a malformed reply is a {@link WireGuardException}
 * (MALFORMED_REPLY) naming the line number and its key. Peers and allowed IPs are counted against
 * a {@link ReplyBudget}: an endless list fails with TOO_LARGE before it fills the heap
 * (docs/architecture.md#wireguard). One parser reads one reply.
 */
public final class UapiReplyParser {
    static final int MAX_LINE_LENGTH = 4096;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String deviceName;
    private final UapiValueDecoder decoder = new UapiValueDecoder();
    private final byte[] pendingLine = new byte[MAX_LINE_LENGTH];
    private int pendingLength;
    private int lineNumber;
    private boolean complete;

    private String publicKey;
    private int listenPort;
    private int fwmark;
    private long errno = -1;
    private final List<Peer> peers = new ArrayList<>();
    private final PeerDraft peer = new PeerDraft();
    private final ReplyBudget budget;
    private final DevicePublicKeys publicKeys;

    /**
     * @param budget     counts this reply's peers and allowed IPs (its bytes are the reader's to count)
     * @param publicKeys derives the device's public key from its private key, once per key
     */
    public UapiReplyParser(String deviceName, ReplyBudget budget, DevicePublicKeys publicKeys) {
        this.publicKeys = publicKeys;
        this.deviceName = deviceName;
        this.budget = budget;
    }

    /** Parses a whole reply, with the limits of this JVM's heap. */
    public static Device parse(String deviceName, byte[] reply) throws WireGuardException {
        UapiReplyParser parser = new UapiReplyParser(deviceName,
                ReplyLimits.forThisHeap().budget(deviceName + ": UAPI reply"), new DevicePublicKeys());
        parser.feed(reply, 0, reply.length);
        return parser.device();
    }

    /**
     * Takes the next bytes of the reply.
     *
     * @return true once the terminating blank line has been read; bytes after it are ignored
     */
    public boolean feed(byte[] bytes, int offset, int length) throws WireGuardException {
        try {
            return splitLines(bytes, offset, length);
        } catch (WireGuardException e) {
            Arrays.fill(pendingLine, (byte) 0);
            throw e;
        }
    }

    private boolean splitLines(byte[] bytes, int offset, int length) throws WireGuardException {
        int end = offset + length;
        int lineStart = offset;
        while (!complete) {
            int newline = Swar.indexOf(bytes, lineStart, end, (byte) '\n');
            if (newline < 0) {
                break;
            }
            if (pendingLength > 0) {
                keepPending(bytes, lineStart, newline);
                line(pendingLine, 0, pendingLength);
                pendingLength = 0;
            } else {
                line(bytes, lineStart, newline);
            }
            lineStart = newline + 1;
        }
        if (!complete && lineStart < end) {
            keepPending(bytes, lineStart, end);
        }
        return complete;
    }

    /**
     * The device the reply describes.
     *
     * @throws WireGuardException MALFORMED_REPLY when the reply ended early or had no errno line,
     *                            REFUSED when the daemon answered with an error
     */
    public Device device() throws WireGuardException {
        Arrays.fill(pendingLine, (byte) 0);
        if (!complete) {
            throw malformed(lineNumber + 1, null, "reply ended without the terminating blank line (truncated)");
        }
        if (errno < 0) {
            throw malformed(lineNumber, null, "reply has no errno line");
        }
        if (errno != 0) {
            Errno known = Errno.valueOf(errno);
            throw new WireGuardException(Reason.REFUSED, deviceName + ": userspace WireGuard answered errno=" + errno
                    + (known.defined() ? " (" + known.name() + ")" : ""));
        }
        return new Device(deviceName, publicKey, listenPort, fwmark, peers);
    }

    private void keepPending(byte[] bytes, int from, int to) throws WireGuardException {
        int length = to - from;
        if (pendingLength + length > MAX_LINE_LENGTH) {
            throw tooLong();
        }
        System.arraycopy(bytes, from, pendingLine, pendingLength, length);
        pendingLength += length;
    }

    private void line(byte[] text, int from, int to) throws WireGuardException {
        if (to - from > MAX_LINE_LENGTH) {
            throw tooLong();
        }
        lineNumber++;
        if (from == to) {
            finishPeer();
            complete = true;
            return;
        }
        UapiKey key = UapiKey.startOf(text, from, to);
        if (key != null) {
            value(key, text, from + key.length() + 1, to);
            return;
        }
        int equals = from;
        while (equals < to && text[equals] != '=') {
            equals++;
        }
        if (equals == to) {
            throw problem(null, "not a key=value line");
        }
        // a key wgmon does not know: skipped
    }

    private void value(UapiKey key, byte[] text, int from, int to) throws WireGuardException {
        switch (key) {
            case PRIVATE_KEY -> publicKey = publicKeyOf(text, from, to);
            case LISTEN_PORT -> listenPort = (int) number(key, text, from, to, 0xFFFF);
            case FWMARK -> fwmark = (int) number(key, text, from, to, 0xFFFF_FFFFL);
            case PUBLIC_KEY -> {
                finishPeer();
                String peerKey = decoder.base64Key(text, from, to);
                if (peerKey == null) {
                    throw problem(key, "not 64 hex digits");
                }
                if (!budget.admitPeer()) {
                    throw budget.exceeded();
                }
                peer.start(peerKey);
            }
            case PRESHARED_KEY -> requirePeer(key);
            case PROTOCOL_VERSION -> requirePeer(key).protocolVersion = (int) number(key, text, from, to, Integer.MAX_VALUE);
            case ENDPOINT -> {
                InetSocketAddress endpoint = decoder.endpoint(text, from, to);
                if (endpoint == null) {
                    throw problem(key, "not an IPv4 address:port or [IPv6 address]:port");
                }
                requirePeer(key).endpoint = endpoint;
            }
            case LAST_HANDSHAKE_TIME_SEC ->
                    requirePeer(key).handshakeSeconds = number(key, text, from, to, Instant.MAX.getEpochSecond());
            case LAST_HANDSHAKE_TIME_NSEC ->
                    requirePeer(key).handshakeNanos = number(key, text, from, to, NANOS_PER_SECOND - 1);
            case TX_BYTES -> requirePeer(key).txBytes = number(key, text, from, to, Long.MAX_VALUE);
            case RX_BYTES -> requirePeer(key).rxBytes = number(key, text, from, to, Long.MAX_VALUE);
            case PERSISTENT_KEEPALIVE_INTERVAL ->
                    requirePeer(key).persistentKeepalive = (int) number(key, text, from, to, 0xFFFF);
            case ALLOWED_IP -> {
                String allowedIp = decoder.allowedIp(text, from, to);
                if (allowedIp == null) {
                    throw problem(key, "not an address/prefix-length");
                }
                PeerDraft owner = requirePeer(key);
                if (!budget.admitAllowedIp()) {
                    throw budget.exceeded();
                }
                owner.allowedIps.add(allowedIp);
            }
            case ERRNO -> errno = number(key, text, from, to, Integer.MAX_VALUE);
        }
    }

    /** Derives the device's public key; the decoded private key is zeroed before returning. */
    private String publicKeyOf(byte[] text, int from, int to) throws WireGuardException {
        byte[] privateKey = new byte[UapiValueDecoder.KEY_LENGTH];
        try {
            if (!UapiValueDecoder.hexKey(text, from, to, privateKey)) {
                throw problem(UapiKey.PRIVATE_KEY, "not 64 hex digits");
            }
            return publicKeys.publicKeyOf(deviceName, privateKey);
        } catch (GeneralSecurityException e) {
            // a runtime without XDH (jlinked without jdk.crypto.ec) still reads every peer
            return null;
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    private long number(UapiKey key, byte[] text, int from, int to, long max) throws WireGuardException {
        long value = UapiValueDecoder.decimal(text, from, to, max);
        if (value < 0) {
            throw problem(key, "not a decimal number from 0 to " + max);
        }
        return value;
    }

    private PeerDraft requirePeer(UapiKey key) throws WireGuardException {
        if (!peer.started()) {
            throw problem(key, "peer attribute before the first public_key");
        }
        return peer;
    }

    private void finishPeer() {
        if (peer.started()) {
            peers.add(peer.build());
        }
    }

    private WireGuardException problem(UapiKey key, String problem) {
        return malformed(lineNumber, key, problem);
    }

    private WireGuardException tooLong() {
        return malformed(lineNumber + 1, null, "line longer than " + MAX_LINE_LENGTH + " bytes");
    }

    /** @param line 1-based; {@code key} null when the line has none or the reply ended early */
    private WireGuardException malformed(int line, UapiKey key, String problem) {
        return new WireGuardException(Reason.MALFORMED_REPLY, deviceName + ": malformed UAPI reply at line " + line
                + (key == null ? "" : " (" + key + ")") + ": " + problem);
    }

    /** The peer being read; reused from peer to peer. */
    private static final class PeerDraft {
        private String publicKey;
        private InetSocketAddress endpoint;
        private final List<String> allowedIps = new ArrayList<>();
        private long handshakeSeconds;
        private long handshakeNanos;
        private long rxBytes;
        private long txBytes;
        private int persistentKeepalive;
        private int protocolVersion;

        boolean started() {
            return publicKey != null;
        }

        void start(String key) {
            publicKey = key;
            endpoint = null;
            allowedIps.clear();
            handshakeSeconds = 0;
            handshakeNanos = 0;
            rxBytes = 0;
            txBytes = 0;
            persistentKeepalive = 0;
            protocolVersion = 0;
        }

        Peer build() {
            Instant lastHandshake = handshakeSeconds == 0 && handshakeNanos == 0
                    ? null
                    : Instant.ofEpochSecond(handshakeSeconds, handshakeNanos);
            Peer built = new Peer(publicKey, endpoint, allowedIps, lastHandshake, rxBytes, txBytes,
                    persistentKeepalive, protocolVersion);
            publicKey = null;
            return built;
        }
    }
}
