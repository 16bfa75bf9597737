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
import java.nio.charset.StandardCharsets;
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
 *
 * <p>A peer whose lines are the bytes the last read of the device had ({@link KnownPeers}) comes back
 * as the same {@link Peer}, compared in place: only peers that changed allocate. A whole reply given at once
 * ({@link #read}) goes further: a peer whose block of lines is byte for byte the last whole read's is taken
 * without reading its lines at all.
 */
public final class UapiReplyParser {
    static final int MAX_LINE_LENGTH = 4096;
    private static final byte[] NEXT_PEER = (UapiKey.PUBLIC_KEY + "=").getBytes(StandardCharsets.US_ASCII);
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
    private final ArrayList<Peer> peers = new ArrayList<>();
    private final PeerDraft peer = new PeerDraft();
    private final byte[] rawKey = new byte[UapiValueDecoder.KEY_LENGTH];
    private final ReplyBudget budget;
    private final DevicePublicKeys publicKeys;
    private final KnownPeers known;
    /** The whole reply when it came in one buffer the parser may keep and rewrite ({@link #read}), else null. */
    private byte[] whole;
    private int wholeLength;
    /** Where the line loop goes on after a peer taken whole; -1: at the next line. */
    private int resumeAt = -1;
    /** Where the bytes after the terminating blank line begin, once it was read. */
    private int replyEnd;
    /** The peer that followed the last one read in the last whole read: likely the next one here too. */
    private KnownPeers.Entry expected;

    /**
     * @param budget     counts this reply's peers and allowed IPs (its bytes are the reader's to count)
     * @param publicKeys derives the device's public key from its private key, once per key
     * @param known      the device's peers as its last read left them; updated by this one
     */
    public UapiReplyParser(String deviceName, ReplyBudget budget, DevicePublicKeys publicKeys, KnownPeers known) {
        this.publicKeys = publicKeys;
        this.deviceName = deviceName;
        this.budget = budget;
        this.known = known;
        known.startRead();
    }

    /** Parses a whole reply, with the limits of this JVM's heap. */
    public static Device parse(String deviceName, byte[] reply) throws WireGuardException {
        UapiReplyParser parser = new UapiReplyParser(deviceName,
                ReplyLimits.forThisHeap().budget(deviceName + ": UAPI reply"), new DevicePublicKeys(), new KnownPeers());
        parser.feed(reply, 0, reply.length);
        return parser.device();
    }

    /**
     * Parses a whole reply, {@code reply[0, length)}, kept by the {@link KnownPeers} for the next whole read
     * to compare with: its secret values (private and preshared keys) are zeroed in place, and the bytes after
     * the reply too; a failed read zeroes them all and keeps nothing.
     *
     * <p>A peer's block is its lines from its {@code public_key} line up to the next peer's. A block that is
     * byte for byte the one the last whole read had for the same key, the preshared key's value aside (it is
     * not kept and wgmon never reads it), is that read's {@link Peer}: its lines are not read again. Blocks
     * with a line of the device (private key, port, fwmark, errno), a second preshared key, a key met twice,
     * or no next peer after them are read line by line every time.
     */
    public Device read(byte[] reply, int length) throws WireGuardException {
        whole = reply;
        wholeLength = length;
        peers.ensureCapacity(known.size());
        try {
            feed(reply, 0, length);
            Arrays.fill(reply, complete ? replyEnd : length, length, (byte) 0);
            return device();
        } catch (WireGuardException | RuntimeException e) {
            Arrays.fill(reply, 0, length, (byte) 0);
            throw e;
        }
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
            lineStart = resumeAt >= 0 ? resumeAt : newline + 1;
            resumeAt = -1;
        }
        if (complete) {
            replyEnd = lineStart;
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
        if (whole != null) {
            known.endRead(whole, wholeLength);
        } else {
            known.endRead();
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
            case PRIVATE_KEY -> {
                peer.blockKept = false;
                publicKey = publicKeyOf(text, from, to);
                if (whole != null) {
                    Arrays.fill(text, from, to, (byte) 0);
                }
            }
            case LISTEN_PORT -> {
                peer.blockKept = false;
                listenPort = (int) number(key, text, from, to, 0xFFFF);
            }
            case FWMARK -> {
                peer.blockKept = false;
                fwmark = (int) number(key, text, from, to, 0xFFFF_FFFFL);
            }
            case PUBLIC_KEY -> {
                int lineStart = from - key.length() - 1;
                finishPeerBefore(lineStart);
                if (tookExpected(lineStart)) {
                    return;
                }
                if (!UapiValueDecoder.hexKey(text, from, to, rawKey)) {
                    throw problem(key, "not 64 hex digits");
                }
                if (!budget.admitPeer()) {
                    throw budget.exceeded();
                }
                KnownPeers.Entry entry = known.find(rawKey);
                boolean firstThisRead = entry == null || known.see(entry);
                if (entry == null) {
                    entry = known.add(rawKey);
                }
                if (firstThisRead && whole != null && tookWhole(entry, lineStart)) {
                    return;
                }
                peer.start(entry, entry.peer == null ? decoder.base64Key(text, from, to) : entry.peer.publicKey());
                expected = whole == null ? null : known.nextInLastRead(entry);
                entry.blockRead = -1;
                peer.startBlock(lineStart, lineNumber, firstThisRead && whole != null);
            }
            case PRESHARED_KEY -> {
                PeerDraft owner = requirePeer(key);
                if (whole != null) {
                    owner.presharedKey(from, to);
                    Arrays.fill(text, from, to, (byte) 0);
                }
            }
            case PROTOCOL_VERSION -> requirePeer(key).protocolVersion = (int) number(key, text, from, to, Integer.MAX_VALUE);
            case ENDPOINT -> {
                PeerDraft owner = requirePeer(key);
                if (owner.sameEndpointText(text, from, to)) {
                    return;
                }
                InetSocketAddress endpoint = decoder.endpoint(text, from, to);
                if (endpoint == null) {
                    throw problem(key, "not an IPv4 address:port or [IPv6 address]:port");
                }
                owner.endpointChanged(endpoint, text, from, to);
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
                PeerDraft owner = requirePeer(key);
                if (!budget.admitAllowedIp()) {
                    throw budget.exceeded();
                }
                owner.blockAllowedIps++;
                if (owner.sameNextAllowedIpText(text, from, to)) {
                    return;
                }
                String allowedIp = decoder.allowedIp(text, from, to);
                if (allowedIp == null) {
                    throw problem(key, "not an address/prefix-length");
                }
                owner.allowedIpChanged(allowedIp, text, from, to);
            }
            case ERRNO -> {
                peer.blockKept = false;
                errno = number(key, text, from, to, Integer.MAX_VALUE);
            }
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

    /** Finishes the peer being read, whose block ends where the next peer's line begins, and keeps its block. */
    private void finishPeerBefore(int nextPeerLine) {
        if (!peer.started()) {
            return;
        }
        KnownPeers.Entry entry = peer.entry;
        boolean keep = peer.blockKept;
        int start = peer.blockStart;
        int lines = lineNumber - peer.blockFirstLine;
        int allowedIps = peer.blockAllowedIps;
        int presharedFrom = peer.presharedFrom;
        int presharedTo = peer.presharedTo;
        finishPeer();
        if (keep) {
            known.blockAt(entry, start);
            entry.blockLength = nextPeerLine - start;
            entry.blockLines = lines;
            entry.blockAllowedIps = allowedIps;
            entry.presharedFrom = presharedFrom;
            entry.presharedTo = presharedTo;
        }
    }

    /**
     * Takes the peer whose line starts at {@code at} as the last whole read left it when its block is byte
     * for byte the same (the preshared key's value aside, which must still be one line) and the next peer's
     * line follows it.
     */
    /**
     * Takes the peer at {@code at} without looking its key up when its block is the one that followed the last
     * peer in the last whole read (its public_key line is part of the block, so the bytes name the key).
     */
    private boolean tookExpected(int at) throws WireGuardException {
        KnownPeers.Entry next = expected;
        expected = null;
        if (whole == null || next == null || known.seenByThisRead(next) || !sameBlock(next, at)) {
            return false;
        }
        if (!budget.admitPeer()) {
            throw budget.exceeded();
        }
        known.see(next);
        take(next, at);
        return true;
    }

    private boolean tookWhole(KnownPeers.Entry entry, int at) throws WireGuardException {
        if (!sameBlock(entry, at)) {
            return false;
        }
        take(entry, at);
        return true;
    }

    /** Whether the entry's block in the last whole read has the bytes at {@code at}, the next peer's line after them. */
    private boolean sameBlock(KnownPeers.Entry entry, int at) {
        byte[] last = known.lastReplyWithBlockOf(entry);
        if (last == null) {
            return false;
        }
        int length = entry.blockLength;
        int end = at + length;
        if (end > wholeLength - NEXT_PEER.length || !Swar.equal(NEXT_PEER, 0, whole, end, NEXT_PEER.length)) {
            return false;
        }
        int from = entry.blockOffset;
        int secretFrom = entry.presharedFrom;
        int secretTo = entry.presharedTo;
        boolean same = secretFrom < 0
                ? Arrays.equals(whole, at, end, last, from, from + length)
                : Arrays.equals(whole, at, at + secretFrom, last, from, from + secretFrom)
                && Arrays.equals(whole, at + secretTo, end, last, from + secretTo, from + length)
                && Swar.indexOf(whole, at + secretFrom, at + secretTo, (byte) '\n') < 0;
        return same;
    }

    /** Takes the entry's peer for the block at {@code at}, as reading its lines would have. */
    private void take(KnownPeers.Entry entry, int at) throws WireGuardException {
        int secretFrom = entry.presharedFrom;
        int secretTo = entry.presharedTo;
        for (int i = 0; i < entry.blockAllowedIps; i++) {
            if (!budget.admitAllowedIp()) {
                throw budget.exceeded();
            }
        }
        if (secretFrom >= 0) {
            Arrays.fill(whole, at + secretFrom, at + secretTo, (byte) 0);
        }
        lineNumber += entry.blockLines - 1;
        peers.add(entry.peer);
        expected = known.nextInLastRead(entry);
        known.blockAt(entry, at);
        resumeAt = at + entry.blockLength;
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

    /**
     * The peer being read; reused from peer to peer. Its lines are compared with its entry's as they come;
     * only a line that differs is decoded (and the entry's text replaced when the peer is built).
     */
    private static final class PeerDraft {
        private KnownPeers.Entry entry;
        private String publicKey;
        private InetSocketAddress endpoint;
        /** An endpoint line came and matched the known peer's; {@link #endpoint} is set when one came and did not. */
        private boolean endpointSame;
        private boolean endpointLine;
        private byte[] endpointText;
        /** Allowed IPs matched in place so far, while no line differed; -1 once one did. */
        private int allowedMatched;
        private final List<String> allowedIps = new ArrayList<>();
        private final List<byte[]> allowedIpTexts = new ArrayList<>();
        private long handshakeSeconds;
        private long handshakeNanos;
        private long rxBytes;
        private long txBytes;
        private int persistentKeepalive;
        private int protocolVersion;
        /** Where the peer's block began in a whole reply, and whether it may be kept for the next read. */
        private int blockStart;
        private int blockFirstLine;
        private boolean blockKept;
        private int blockAllowedIps;
        private int presharedFrom;
        private int presharedTo;

        boolean started() {
            return entry != null;
        }

        void start(KnownPeers.Entry known, String base64Key) {
            entry = known;
            publicKey = base64Key;
            endpoint = null;
            endpointSame = false;
            endpointLine = false;
            endpointText = null;
            allowedMatched = 0;
            allowedIps.clear();
            allowedIpTexts.clear();
            handshakeSeconds = 0;
            handshakeNanos = 0;
            rxBytes = 0;
            txBytes = 0;
            persistentKeepalive = 0;
            protocolVersion = 0;
        }

        void startBlock(int start, int firstLine, boolean keep) {
            blockStart = start;
            blockFirstLine = firstLine;
            blockKept = keep;
            blockAllowedIps = 0;
            presharedFrom = -1;
            presharedTo = 0;
        }

        /** The preshared key's value is at {@code [from, to)} of the whole reply. */
        void presharedKey(int from, int to) {
            if (presharedFrom >= 0) {
                blockKept = false;
            }
            presharedFrom = from - blockStart;
            presharedTo = to - blockStart;
        }

        boolean sameEndpointText(byte[] text, int from, int to) {
            endpointLine = true;
            endpointSame = entry.peer != null && KnownPeers.sameText(entry.endpointText, text, from, to);
            return endpointSame;
        }

        void endpointChanged(InetSocketAddress decoded, byte[] text, int from, int to) {
            endpoint = decoded;
            endpointText = KnownPeers.copy(text, from, to);
        }

        boolean sameNextAllowedIpText(byte[] text, int from, int to) {
            if (allowedMatched < 0 || entry.peer == null || allowedMatched >= entry.allowedIpTexts.size()
                    || !KnownPeers.sameText(entry.allowedIpTexts.get(allowedMatched), text, from, to)) {
                return false;
            }
            allowedMatched++;
            return true;
        }

        void allowedIpChanged(String decoded, byte[] text, int from, int to) {
            if (allowedMatched > 0) {
                // the lines matched so far are the known peer's first ones
                allowedIps.addAll(entry.peer.allowedIps().subList(0, allowedMatched));
                allowedIpTexts.addAll(entry.allowedIpTexts.subList(0, allowedMatched));
            }
            allowedMatched = -1;
            allowedIps.add(decoded);
            allowedIpTexts.add(KnownPeers.copy(text, from, to));
        }

        Peer build() {
            Peer before = entry.peer;
            boolean allowedSame = before != null && allowedMatched == before.allowedIps().size();
            if (!allowedSame && allowedMatched > 0) {
                // fewer lines than the known peer had, all matching its first ones
                allowedIps.addAll(before.allowedIps().subList(0, allowedMatched));
                allowedIpTexts.addAll(entry.allowedIpTexts.subList(0, allowedMatched));
            }
            Instant lastHandshake = handshakeSeconds == 0 && handshakeNanos == 0 ? null : handshake(before);
            boolean endpointKept = before != null && (endpointLine ? endpointSame : before.endpoint() == null);
            boolean same = before != null && allowedSame && endpointKept
                    && lastHandshake == before.lastHandshake() && rxBytes == before.rxBytes() && txBytes == before.txBytes()
                    && persistentKeepalive == before.persistentKeepalive() && protocolVersion == before.protocolVersion();
            Peer built = same ? before : new Peer(publicKey, endpointSame ? before.endpoint() : endpoint,
                    allowedSame ? before.allowedIps() : allowedIps, lastHandshake, rxBytes, txBytes,
                    persistentKeepalive, protocolVersion);
            if (!same) {
                entry.peer = built;
                entry.endpointText = endpointSame ? entry.endpointText : endpointText;
                entry.allowedIpTexts = allowedSame ? entry.allowedIpTexts : List.copyOf(allowedIpTexts);
            }
            entry = null;
            return built;
        }

        /** The known peer's handshake when the numbers are its own (no new Instant), else a new one. */
        private Instant handshake(Peer before) {
            Instant known = before == null ? null : before.lastHandshake();
            if (known != null && known.getEpochSecond() == handshakeSeconds && known.getNano() == handshakeNanos) {
                return known;
            }
            return Instant.ofEpochSecond(handshakeSeconds, handshakeNanos);
        }
    }
}
