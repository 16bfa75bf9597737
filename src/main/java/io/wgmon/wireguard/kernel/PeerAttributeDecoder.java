package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.wireguard.ReplyBudget;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/**
 * Decodes the attributes of one peer nest of a kernel reply into its {@link PeerDraft}. The
 * preshared key is never read: its bytes are overwritten with zeros in the payload. Allowed IPs
 * are counted against the reply's {@link ReplyBudget}. One decoder serves one parser, on one thread.
 */
final class PeerAttributeDecoder {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final AttributeDecoder allowedIpList = new AttributeDecoder();
    private final AllowedIpDecoder allowedIps = new AllowedIpDecoder();
    private final byte[] address = new byte[16];
    private final ReplyBudget budget;

    PeerAttributeDecoder(ReplyBudget budget) {
        this.budget = budget;
    }

    /** Applies one peer attribute to the peer; a malformed one records an error on the attribute. */
    void peerAttribute(AttributeDecoder attribute, PeerDraft peer) {
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
            case PEER_A_ALLOWEDIPS -> allowedIps(attribute, peer);
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

    private void allowedIps(AttributeDecoder attribute, PeerDraft peer) {
        allowedIpList.enter(attribute);
        while (allowedIpList.next()) {
            String allowedIp = allowedIps.allowedIp(allowedIpList);
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
}
