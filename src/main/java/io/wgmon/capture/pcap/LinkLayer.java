package io.wgmon.capture.pcap;

import io.wgmon.capture.PacketRejectedException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The link-layer headers a capture may start with, by libpcap link type (DLT), and how to get
 * from a captured frame to its IP packet. Pure; throws {@link PacketRejectedException}.
 *
 * <p>Every header with an EtherType keeps it right before the payload, except SLL2, which keeps
 * it in its first two bytes. 802.1Q/802.1ad tags follow that field as {TCI, EtherType} pairs;
 * libpcap re-inserts tags the NIC stripped for Ethernet and SLL, but not for SLL2.
 */
enum LinkLayer {
    /** DLT_EN10MB: destination and source MAC, EtherType. */
    ETHERNET(12, 14),
    /** DLT_LINUX_SLL (113): packet type, ARPHRD type, address length, 8 address bytes, protocol. */
    LINUX_SLL(14, 16),
    /** DLT_LINUX_SLL2 (276): protocol, reserved, be32 interface index, ARPHRD type, packet type, address. */
    LINUX_SLL2(0, 20),
    /** DLT_RAW, DLT_IPV4, DLT_IPV6: the frame is the IP packet. */
    RAW_IP(-1, 0);

    static final int DLT_EN10MB = 1;
    static final int DLT_RAW = 12;
    static final int LINKTYPE_RAW = 101;
    static final int DLT_LINUX_SLL = 113;
    static final int DLT_IPV4 = 228;
    static final int DLT_IPV6 = 229;
    static final int DLT_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int VLAN_TAG_LENGTH = 4;
    private static final int SLL2_INTERFACE_INDEX_OFFSET = 4;

    private final int etherTypeOffset;
    private final int headerLength;

    LinkLayer(int etherTypeOffset, int headerLength) {
        this.etherTypeOffset = etherTypeOffset;
        this.headerLength = headerLength;
    }

    /** Empty for a link type wgmon does not read. */
    static Optional<LinkLayer> forLinkType(int linkType) {
        return switch (linkType) {
            case DLT_EN10MB -> Optional.of(ETHERNET);
            case DLT_LINUX_SLL -> Optional.of(LINUX_SLL);
            case DLT_LINUX_SLL2 -> Optional.of(LINUX_SLL2);
            case DLT_RAW, LINKTYPE_RAW, DLT_IPV4, DLT_IPV6 -> Optional.of(RAW_IP);
            default -> Optional.empty();
        };
    }

    /** The IP packet inside a captured frame: a view of {@code frame} from the IP header on. */
    ByteBuffer ipPacket(ByteBuffer frame) {
        ByteBuffer link = frame.slice().order(ByteOrder.BIG_ENDIAN);
        if (this == RAW_IP) {
            return link;
        }
        require(link, headerLength, name() + " header");
        int etherType = Short.toUnsignedInt(link.getShort(etherTypeOffset));
        int payload = headerLength;
        while (isVlanTag(etherType)) {
            require(link, payload + VLAN_TAG_LENGTH, "VLAN tag");
            etherType = Short.toUnsignedInt(link.getShort(payload + 2));
            payload += VLAN_TAG_LENGTH;
        }
        if (etherType != ETHERTYPE_IPV4 && etherType != ETHERTYPE_IPV6) {
            throw new PacketRejectedException("not-ip", "EtherType 0x" + Integer.toHexString(etherType));
        }
        return link.position(payload).slice();
    }

    /** The interface the frame was captured on, when the header says (SLL2 only); else 0. */
    int interfaceIndex(ByteBuffer frame) {
        if (this != LINUX_SLL2 || frame.remaining() < headerLength) {
            return 0;
        }
        return frame.slice().order(ByteOrder.BIG_ENDIAN).getInt(SLL2_INTERFACE_INDEX_OFFSET);
    }

    private static boolean isVlanTag(int etherType) {
        return etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD;
    }

    private static void require(ByteBuffer link, int length, String what) {
        if (link.remaining() < length) {
            throw new PacketRejectedException("truncated-link",
                    what + " cut off: " + link.remaining() + " of " + length + " bytes");
        }
    }
}
