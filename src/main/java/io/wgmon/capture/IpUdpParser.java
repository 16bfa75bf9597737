package io.wgmon.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads an IPv4 or IPv6 packet (possibly cut short by the capture's copy range) down to the
 * UDP header, the WireGuard message type and, for transport data, whether its counter is 0. Pure;
 * throws {@link PacketRejectedException}.
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

    public static UdpFlow parse(ByteBuffer packet) {
        ByteBuffer ip = packet.slice().order(ByteOrder.BIG_ENDIAN);
        if (ip.remaining() < 1) {
            throw new PacketRejectedException("truncated-ip", "empty packet payload");
        }
        int version = Byte.toUnsignedInt(ip.get(0)) >>> 4;
        return switch (version) {
            case 4 -> ipv4(ip);
            case 6 -> ipv6(ip);
            default -> throw new PacketRejectedException("unknown-ip-version", "IP version " + version);
        };
    }

    private static UdpFlow ipv4(ByteBuffer ip) {
        require(ip, 20, "truncated-ip", "IPv4 header");
        int headerLength = (ip.get(0) & 0x0f) * 4;
        if (headerLength < 20) {
            throw new PacketRejectedException("malformed-ip", "IPv4 header length " + headerLength);
        }
        require(ip, headerLength, "truncated-ip", "IPv4 header with options");
        int protocol = Byte.toUnsignedInt(ip.get(9));
        if (protocol != PROTOCOL_UDP) {
            throw new PacketRejectedException("not-udp", "IPv4 protocol " + protocol);
        }
        int fragmentOffset = ip.getShort(6) & 0x1fff;
        if (fragmentOffset != 0) {
            throw new PacketRejectedException("fragment", "IPv4 fragment at offset " + fragmentOffset * 8);
        }
        int end = Math.min(ip.remaining(), Short.toUnsignedInt(ip.getShort(2)));
        return udp(ip, headerLength, end, address(ip, 12, 4), address(ip, 16, 4));
    }

    private static UdpFlow ipv6(ByteBuffer ip) {
        require(ip, IPV6_HEADER_LENGTH, "truncated-ip", "IPv6 header");
        int payloadLength = Short.toUnsignedInt(ip.getShort(4));
        // payload length 0 means a jumbogram; then only the captured length tells the end
        int end = payloadLength == 0 ? ip.remaining() : Math.min(ip.remaining(), IPV6_HEADER_LENGTH + payloadLength);
        int nextHeader = Byte.toUnsignedInt(ip.get(6));
        int offset = IPV6_HEADER_LENGTH;
        while (nextHeader != PROTOCOL_UDP) {
            switch (nextHeader) {
                case IPV6_HOP_BY_HOP, IPV6_ROUTING, IPV6_DESTINATION_OPTIONS -> {
                    require(ip, offset + 2, "truncated-ip", "IPv6 extension header");
                    int length = (Byte.toUnsignedInt(ip.get(offset + 1)) + 1) * 8;
                    nextHeader = Byte.toUnsignedInt(ip.get(offset));
                    offset += length;
                }
                case IPV6_FRAGMENT -> {
                    require(ip, offset + 8, "truncated-ip", "IPv6 fragment header");
                    int fragmentOffset = Short.toUnsignedInt(ip.getShort(offset + 2)) >>> 3;
                    if (fragmentOffset != 0) {
                        throw new PacketRejectedException("fragment", "IPv6 fragment at offset " + fragmentOffset * 8);
                    }
                    nextHeader = Byte.toUnsignedInt(ip.get(offset));
                    offset += 8;
                }
                default -> throw new PacketRejectedException("not-udp", "IPv6 next header " + nextHeader);
            }
        }
        return udp(ip, offset, end, address(ip, 8, 16), address(ip, 24, 16));
    }

    private static UdpFlow udp(ByteBuffer ip, int offset, int end, InetAddress source, InetAddress destination) {
        if (end < offset + UDP_HEADER_LENGTH) {
            throw new PacketRejectedException("truncated-udp", "UDP header cut off: " + Math.max(0, end - offset)
                    + " of 8 bytes");
        }
        int sourcePort = Short.toUnsignedInt(ip.getShort(offset));
        int destinationPort = Short.toUnsignedInt(ip.getShort(offset + 2));
        int payload = offset + UDP_HEADER_LENGTH;
        MessageType type = end > payload ? MessageType.of(Byte.toUnsignedInt(ip.get(payload))) : MessageType.UNKNOWN;
        // a counter cut off by the capture's copy range counts as not 0: ordinary data
        boolean sessionStart = type == MessageType.TRANSPORT_DATA && end >= payload + COUNTER_END
                && ip.getLong(payload + COUNTER_OFFSET) == 0;
        return new UdpFlow(source, sourcePort, destination, destinationPort, type, sessionStart,
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

    private static void require(ByteBuffer ip, int length, String reason, String what) {
        if (ip.remaining() < length) {
            throw new PacketRejectedException(reason, what + " cut off: " + ip.remaining() + " of " + length + " bytes");
        }
    }

    private static InetAddress address(ByteBuffer ip, int offset, int length) {
        byte[] bytes = new byte[length];
        ip.get(offset, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("address of length " + length, impossible);
        }
    }
}
