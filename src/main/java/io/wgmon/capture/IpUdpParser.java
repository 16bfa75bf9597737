package io.wgmon.capture;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Reads an IPv4 or IPv6 packet (possibly cut short by the capture's copy range) down to the
 * UDP header, the WireGuard message type and, for transport data, whether its counter is 0. Pure but for
 * the {@link EndpointTable} its endpoints come from; reads in place, so a packet from a known endpoint
 * allocates only its flow (and an initiation's copy); throws {@link PacketRejectedException}.
 */
public final class IpUdpParser {
    private static final int PROTOCOL_UDP = 17;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_DESTINATION_OPTIONS = 60;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int UDP_HEADER_LENGTH = 8;
    /** Transport data: type, 3 reserved bytes, receiver index (4), then the 8-byte little-endian counter. */
    private static final int COUNTER_OFFSET = 8;
    private static final int COUNTER_END = COUNTER_OFFSET + Long.BYTES;

    private IpUdpParser() {
    }

    /** @param packet from its position to its limit; neither is changed */
    public static UdpFlow parse(ByteBuffer packet, EndpointTable endpoints) {
        if (!packet.hasRemaining()) {
            throw new PacketRejectedException("truncated-ip", "empty packet payload");
        }
        int version = u8(packet, packet.position()) >>> 4;
        return switch (version) {
            case 4 -> ipv4(packet, endpoints);
            case 6 -> ipv6(packet, endpoints);
            default -> throw new PacketRejectedException("unknown-ip-version", "IP version " + version);
        };
    }

    private static UdpFlow ipv4(ByteBuffer ip, EndpointTable endpoints) {
        int base = ip.position();
        require(ip, 20, "truncated-ip", "IPv4 header");
        int headerLength = (u8(ip, base) & 0x0f) * 4;
        if (headerLength < 20) {
            throw new PacketRejectedException("malformed-ip", "IPv4 header length " + headerLength);
        }
        require(ip, headerLength, "truncated-ip", "IPv4 header with options");
        int protocol = u8(ip, base + 9);
        if (protocol != PROTOCOL_UDP) {
            throw new PacketRejectedException("not-udp", "IPv4 protocol " + protocol);
        }
        int fragmentOffset = u16(ip, base + 6) & 0x1fff;
        if (fragmentOffset != 0) {
            throw new PacketRejectedException("fragment", "IPv4 fragment at offset " + fragmentOffset * 8);
        }
        int end = base + Math.min(ip.remaining(), u16(ip, base + 2));
        return udp(ip, base + headerLength, end, base + 12, 4, endpoints);
    }

    private static UdpFlow ipv6(ByteBuffer ip, EndpointTable endpoints) {
        int base = ip.position();
        require(ip, IPV6_HEADER_LENGTH, "truncated-ip", "IPv6 header");
        int payloadLength = u16(ip, base + 4);
        // payload length 0 means a jumbogram; then only the captured length tells the end
        int captured = ip.remaining();
        int end = base + (payloadLength == 0 ? captured : Math.min(captured, IPV6_HEADER_LENGTH + payloadLength));
        int nextHeader = u8(ip, base + 6);
        int offset = IPV6_HEADER_LENGTH;
        while (nextHeader != PROTOCOL_UDP) {
            switch (nextHeader) {
                case IPV6_HOP_BY_HOP, IPV6_ROUTING, IPV6_DESTINATION_OPTIONS -> {
                    require(ip, offset + 2, "truncated-ip", "IPv6 extension header");
                    int length = (u8(ip, base + offset + 1) + 1) * 8;
                    nextHeader = u8(ip, base + offset);
                    offset += length;
                }
                case IPV6_FRAGMENT -> {
                    require(ip, offset + 8, "truncated-ip", "IPv6 fragment header");
                    int fragmentOffset = u16(ip, base + offset + 2) >>> 3;
                    if (fragmentOffset != 0) {
                        throw new PacketRejectedException("fragment", "IPv6 fragment at offset " + fragmentOffset * 8);
                    }
                    nextHeader = u8(ip, base + offset);
                    offset += 8;
                }
                default -> throw new PacketRejectedException("not-udp", "IPv6 next header " + nextHeader);
            }
        }
        return udp(ip, base + offset, end, base + 8, 16, endpoints);
    }

    /**
     * @param udp       where the UDP header starts, {@code end} where the captured datagram ends (absolute)
     * @param addresses where the source address starts (absolute); the destination's follows it
     */
    private static UdpFlow udp(ByteBuffer ip, int udp, int end, int addresses, int addressLength,
                               EndpointTable endpoints) {
        if (end < udp + UDP_HEADER_LENGTH) {
            throw new PacketRejectedException("truncated-udp", "UDP header cut off: " + Math.max(0, end - udp)
                    + " of 8 bytes");
        }
        int sourcePort = u16(ip, udp);
        int destinationPort = u16(ip, udp + 2);
        int payload = udp + UDP_HEADER_LENGTH;
        MessageType type = end > payload ? MessageType.of(u8(ip, payload)) : MessageType.UNKNOWN;
        // a counter cut off by the capture's copy range counts as not 0: ordinary data
        boolean sessionStart = type == MessageType.TRANSPORT_DATA && end >= payload + COUNTER_END
                && zeros(ip, payload + COUNTER_OFFSET, Long.BYTES);
        return new UdpFlow(endpoints.at(ip, addresses, addressLength, sourcePort),
                endpoints.at(ip, addresses + addressLength, addressLength, destinationPort), type, sessionStart,
                type == MessageType.HANDSHAKE_INITIATION ? initiation(ip, payload, end) : null);
    }

    /** Only a whole initiation, all of it captured, is copied: a shorter one or one cut off has no valid mac1. */
    private static InitiationBytes initiation(ByteBuffer ip, int payload, int end) {
        if (end - payload != InitiationBytes.INITIATION_LENGTH) {
            return null;
        }
        byte[] copy = new byte[InitiationBytes.LENGTH];
        ip.get(payload, copy);
        return new InitiationBytes(copy);
    }

    /** @param length from the packet's start */
    private static void require(ByteBuffer ip, int length, String reason, String what) {
        if (ip.remaining() < length) {
            throw new PacketRejectedException(reason, what + " cut off: " + ip.remaining() + " of " + length + " bytes");
        }
    }

    // absolute reads, big-endian whatever the buffer's order
    private static int u8(ByteBuffer ip, int at) {
        return Byte.toUnsignedInt(ip.get(at));
    }

    private static int u16(ByteBuffer ip, int at) {
        return u8(ip, at) << 8 | u8(ip, at + 1);
    }

    private static boolean zeros(ByteBuffer ip, int at, int count) {
        for (int i = 0; i < count; i++) {
            if (ip.get(at + i) != 0) {
                return false;
            }
        }
        return true;
    }
}
