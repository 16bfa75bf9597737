package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.AllowedIpFormatter;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.ReplyBudget;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/**
 * Parses the reply to a {@code WG_CMD_GET_DEVICE} dump: the payloads (genlmsghdr and attributes)
 * of its messages, in order, into one {@link Device}.
 *
 * <p>A large device spans several messages: the device attributes come in the first, and a peer
 * whose allowed IPs did not fit continues in the next message with only its public key and more
 * allowed IPs. Peers are merged by public key and keep the order of their first appearance.
 *
 * <p>Attributes are walked on the payload bytes with reused {@link AttributeDecoder}s; the first
 * malformed attribute ends the walk and fails the message. The private and preshared
 * keys are never read: their bytes are overwritten with zeros in the payload (when it is writable)
 * and nothing else is done with them. Unknown attributes and pad attributes (type 0) are skipped.
 * No message ever quotes a value. Peers and allowed IPs are counted against a {@link ReplyBudget}:
 * past it the walk stops and the message fails with TOO_LARGE (docs/architecture.md#wireguard). One
 * parser reads one reply, on one thread.
 */
public final class WireGuardGenlParser {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String deviceName;
    private final AttributeDecoder deviceAttributes = new AttributeDecoder();
    private final AttributeDecoder peerList = new AttributeDecoder();
    private final AttributeDecoder peerAttributes = new AttributeDecoder();
    private final AttributeDecoder allowedIpList = new AttributeDecoder();
    private final AttributeDecoder allowedIpAttributes = new AttributeDecoder();
    private final byte[] key = new byte[KEY_LENGTH];
    private final byte[] keyBase64 = new byte[44];
    private final byte[] address = new byte[16];
    private final AllowedIpFormatter allowedIpText = new AllowedIpFormatter();

    private int messages;
    private String publicKey;
    private int listenPort;
    private int fwmark;
    private final PeersByKey<PeerDraft> peers = new PeersByKey<>();

    private final ReplyBudget budget;

    /** @param budget counts this reply's peers and allowed IPs (its bytes are the reader's to count) */
    public WireGuardGenlParser(String deviceName, ReplyBudget budget) {
        this.deviceName = deviceName;
        this.budget = budget;
    }

    /** Parses a whole reply, given as the payloads of its messages in order, with the limits of this JVM's heap. */
    public static Device parse(String deviceName, List<ByteBuffer> payloads) throws WireGuardException {
        WireGuardGenlParser parser = new WireGuardGenlParser(deviceName,
                ReplyLimits.forThisHeap().budget(deviceName + ": WireGuard netlink reply"));
        for (ByteBuffer payload : payloads) {
            parser.feed(payload);
        }
        return parser.device();
    }

    /**
     * Takes the next message's payload, from its position to its limit. The secret key values
     * in it are zeroed (the position and limit are left as they were).
     *
     * @throws WireGuardException MALFORMED_REPLY when the payload is malformed; the message names
     *                            the interface, the message number and the problem, never a value
     */
    public void feed(ByteBuffer payload) throws WireGuardException {
        messages++;
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        if (in.remaining() < GENL_HEADER_LENGTH) {
            throw malformed("payload of " + in.remaining() + " bytes has no generic netlink header");
        }
        deviceAttributes.reset(in, in.position() + GENL_HEADER_LENGTH, in.limit());
        while (deviceAttributes.next()) {
            deviceAttribute(deviceAttributes);
        }
        if (budget.exceeded() != null) {
            throw budget.exceeded();
        }
        if (deviceAttributes.error() != null) {
            throw malformed(deviceAttributes.error());
        }
    }

    /** The device the messages fed so far describe. */
    public Device device() throws WireGuardException {
        if (messages == 0) {
            throw malformed("the reply has no device message");
        }
        List<Peer> built = new ArrayList<>(peers.size());
        for (PeerDraft peer : peers.inOrder()) {
            built.add(peer.build());
        }
        return new Device(deviceName, publicKey, listenPort, fwmark, built);
    }

    private void deviceAttribute(AttributeDecoder attribute) {
        switch (attribute.type()) {
            case DEVICE_A_IFINDEX -> attribute.requireLength(4, "device IFINDEX");
            case DEVICE_A_PRIVATE_KEY -> attribute.zeroValue();
            case DEVICE_A_PUBLIC_KEY -> publicKey = base64Key(attribute, "device PUBLIC_KEY");
            case DEVICE_A_FLAGS -> attribute.requireLength(4, "device FLAGS");
            case DEVICE_A_LISTEN_PORT -> {
                if (attribute.requireLength(2, "device LISTEN_PORT")) {
                    listenPort = attribute.uint16();
                }
            }
            case DEVICE_A_FWMARK -> {
                if (attribute.requireLength(4, "device FWMARK")) {
                    fwmark = attribute.uint32();
                }
            }
            case DEVICE_A_PEERS -> {
                peerList.enter(attribute);
                while (peerList.next()) {
                    peer(peerList);
                }
            }
            default -> {
                // IFNAME (the request named the device), pad (type 0) and attributes newer than this code
            }
        }
    }

    private void peer(AttributeDecoder nest) {
        boolean keyed = false;
        peerAttributes.enter(nest);
        while (!keyed && peerAttributes.next()) {
            if (peerAttributes.type() == PEER_A_PUBLIC_KEY) {
                keyed = readKey(peerAttributes, "peer PUBLIC_KEY");
            }
        }
        if (!keyed) {
            // a malformed attribute met on the way is the first problem, and stays it
            nest.fail("peer " + (peers.size() + 1) + " has no PUBLIC_KEY");
            return;
        }
        PeerDraft peer = draftOfKey();
        if (peer == null) {
            nest.fail("too many peers");
            return;
        }
        peerAttributes.enter(nest);
        while (peerAttributes.next()) {
            peerAttribute(peerAttributes, peer);
        }
    }

    /**
     * The draft of the peer whose key {@link #readKey} read, new unless the key was met before
     * (a peer continued from the message before); null when a new one is over the budget.
     */
    private PeerDraft draftOfKey() {
        PeerDraft known = peers.find(key);
        if (known != null) {
            return known;
        }
        if (!budget.admitPeer()) {
            return null;
        }
        PeerDraft draft = new PeerDraft(base64Key(), key);
        peers.add(draft);
        return draft;
    }

    private void peerAttribute(AttributeDecoder attribute, PeerDraft peer) {
        switch (attribute.type()) {
            case PEER_A_PRESHARED_KEY -> attribute.zeroValue();
            case PEER_A_FLAGS -> attribute.requireLength(4, "peer FLAGS");
            case PEER_A_ENDPOINT -> peer.endpoint = endpoint(attribute);
            case PEER_A_PERSISTENT_KEEPALIVE_INTERVAL -> {
                if (attribute.requireLength(2, "peer PERSISTENT_KEEPALIVE_INTERVAL")) {
                    peer.persistentKeepalive = attribute.uint16();
                }
            }
            case PEER_A_LAST_HANDSHAKE_TIME -> peer.lastHandshake = handshakeTime(attribute);
            case PEER_A_RX_BYTES -> {
                if (attribute.requireLength(8, "peer RX_BYTES")) {
                    peer.rxBytes = attribute.uint64();
                }
            }
            case PEER_A_TX_BYTES -> {
                if (attribute.requireLength(8, "peer TX_BYTES")) {
                    peer.txBytes = attribute.uint64();
                }
            }
            case PEER_A_ALLOWEDIPS -> {
                allowedIpList.enter(attribute);
                while (allowedIpList.next()) {
                    String allowedIp = allowedIp(allowedIpList);
                    if (allowedIp == null) {
                        continue;
                    }
                    if (!budget.admitAllowedIp()) {
                        attribute.fail("too many allowed IPs");
                        return;
                    }
                    peer.allowedIps.add(allowedIp);
                }
            }
            case PEER_A_PROTOCOL_VERSION -> {
                if (attribute.requireLength(4, "peer PROTOCOL_VERSION")) {
                    peer.protocolVersion = attribute.uint32();
                }
            }
            default -> {
                // PUBLIC_KEY (read first), pad (type 0) and attributes newer than this code
            }
        }
    }

    /** The key in base64, null (and an error recorded) when it is not 32 bytes. */
    private String base64Key(AttributeDecoder attribute, String name) {
        return readKey(attribute, name) ? base64Key() : null;
    }

    /** Copies the key into {@link #key}; false (and an error recorded) when it is not 32 bytes. */
    private boolean readKey(AttributeDecoder attribute, String name) {
        if (!attribute.requireLength(KEY_LENGTH, name)) {
            return false;
        }
        attribute.copy(0, key, KEY_LENGTH);
        return true;
    }

    /** {@link #key} in base64. */
    private String base64Key() {
        Base64.getEncoder().encode(key, keyBase64);
        return new String(keyBase64, StandardCharsets.ISO_8859_1);
    }

    /**
     * sockaddr_in or sockaddr_in6: family in host order, port big-endian; scope and flow info
     * dropped. Null (and an error recorded) for anything else.
     */
    private InetSocketAddress endpoint(AttributeDecoder attribute) {
        int length = attribute.length();
        int family = length >= 2 ? attribute.uint16At(0) : -1;
        if (length == SOCKADDR_IN_LENGTH && family == AF_INET) {
            attribute.copy(4, address, 4);
            return new InetSocketAddress(ipv4(), attribute.be16At(2));
        }
        if (length == SOCKADDR_IN6_LENGTH && family == AF_INET6) {
            attribute.copy(8, address, 16);
            return new InetSocketAddress(ipv6(), attribute.be16At(2));
        }
        attribute.fail("peer ENDPOINT has " + length + " bytes and address family " + family
                + ", expected 16 bytes of AF_INET or 28 bytes of AF_INET6");
        return null;
    }

    /** Null for "never" and (with an error recorded) for a malformed time. */
    private Instant handshakeTime(AttributeDecoder attribute) {
        if (!attribute.requireLength(TIMESPEC_LENGTH, "peer LAST_HANDSHAKE_TIME")) {
            return null;
        }
        long seconds = attribute.int64At(0);
        long nanos = attribute.int64At(8);
        if (seconds == 0 && nanos == 0) {
            return null;
        }
        if (seconds < 0 || seconds > Instant.MAX.getEpochSecond() || nanos < 0 || nanos >= NANOS_PER_SECOND) {
            attribute.fail("peer LAST_HANDSHAKE_TIME is not a valid time");
            return null;
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * One {FAMILY, IPADDR, CIDR_MASK} nest as {@code wg show} prints it, e.g. "fd00::/64"; null
     * (and an error recorded) when it is malformed.
     */
    private String allowedIp(AttributeDecoder nest) {
        int family = -1;
        int addressLength = -1;
        int mask = -1;
        allowedIpAttributes.enter(nest);
        while (allowedIpAttributes.next()) {
            switch (allowedIpAttributes.type()) {
                case ALLOWEDIP_A_FAMILY -> {
                    if (allowedIpAttributes.requireLength(2, "allowed IP FAMILY")) {
                        family = allowedIpAttributes.uint16();
                    }
                }
                case ALLOWEDIP_A_IPADDR -> {
                    addressLength = allowedIpAttributes.length();
                    if (addressLength == 4 || addressLength == 16) {
                        allowedIpAttributes.copy(0, address, addressLength);
                    }
                }
                case ALLOWEDIP_A_CIDR_MASK -> {
                    if (allowedIpAttributes.requireLength(1, "allowed IP CIDR_MASK")) {
                        mask = allowedIpAttributes.uint8();
                    }
                }
                default -> {
                }
            }
        }
        if (allowedIpAttributes.error() != null) {
            return null;
        }
        if (family == AF_INET && addressLength == 4 && mask >= 0 && mask <= 32
                || family == AF_INET6 && addressLength == 16 && mask >= 0 && mask <= 128) {
            return allowedIpText.format(address, addressLength, mask);
        }
        nest.fail("allowed IP has family " + family + ", a " + addressLength
                + "-byte address and mask " + mask + ", expected AF_INET with 4 bytes and mask 0-32"
                + " or AF_INET6 with 16 bytes and mask 0-128");
        return null;
    }

    private InetAddress ipv4() {
        try {
            return InetAddress.getByAddress(new byte[] {address[0], address[1], address[2], address[3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }

    /** Stays an Inet6Address even for "::ffff:a.b.c.d", unlike InetAddress.getByAddress. */
    private InetAddress ipv6() {
        try {
            return Inet6Address.getByAddress(null, address, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    private WireGuardException malformed(String problem) {
        return new WireGuardException(Reason.MALFORMED_REPLY, deviceName + ": malformed WireGuard netlink reply (message " + messages + "): "
                + problem);
    }

    /** A peer as far as the messages read so far describe it. */
    private static final class PeerDraft implements PeersByKey.Keyed {
        private final String publicKey;
        private final long key0;
        private final long key1;
        private final long key2;
        private final long key3;
        /** Most peers have one to four; ArrayList's default of ten was 24 bytes a peer more. */
        private final List<String> allowedIps = new ArrayList<>(4);
        private InetSocketAddress endpoint;
        private Instant lastHandshake;
        private long rxBytes;
        private long txBytes;
        private int persistentKeepalive;
        private int protocolVersion;

        PeerDraft(String publicKey, byte[] key) {
            this.publicKey = publicKey;
            key0 = PeersByKey.keyWord(key, 0);
            key1 = PeersByKey.keyWord(key, 1);
            key2 = PeersByKey.keyWord(key, 2);
            key3 = PeersByKey.keyWord(key, 3);
        }

        @Override
        public long keyWord(int index) {
            return switch (index) {
                case 0 -> key0;
                case 1 -> key1;
                case 2 -> key2;
                default -> key3;
            };
        }

        Peer build() {
            return new Peer(publicKey, endpoint, allowedIps, lastHandshake, rxBytes, txBytes, persistentKeepalive,
                    protocolVersion);
        }
    }
}
