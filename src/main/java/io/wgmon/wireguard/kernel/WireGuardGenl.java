package io.wgmon.wireguard.kernel;

/**
 * Numbers of the kernel's WireGuard generic netlink family ({@code <linux/wireguard.h>}), of the
 * generic netlink controller ({@code <linux/genetlink.h>}) and of the rtnetlink link dump
 * ({@code <linux/rtnetlink.h>}, {@code <linux/if_link.h>}).
 */
final class WireGuardGenl {
    static final String FAMILY_NAME = "wireguard";
    static final int FAMILY_VERSION = 1;
    static final int KEY_LENGTH = 32;
    static final int CMD_GET_DEVICE = 0;

    /** struct genlmsghdr {u8 cmd, u8 version, u16 reserved}. */
    static final int GENL_HEADER_LENGTH = 4;
    static final int GENL_ID_CTRL = 0x10;
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;

    static final int DEVICE_A_IFINDEX = 1;
    static final int DEVICE_A_IFNAME = 2;
    static final int DEVICE_A_PRIVATE_KEY = 3;
    static final int DEVICE_A_PUBLIC_KEY = 4;
    static final int DEVICE_A_FLAGS = 5;
    static final int DEVICE_A_LISTEN_PORT = 6;
    static final int DEVICE_A_FWMARK = 7;
    static final int DEVICE_A_PEERS = 8;

    static final int PEER_A_PUBLIC_KEY = 1;
    static final int PEER_A_PRESHARED_KEY = 2;
    static final int PEER_A_FLAGS = 3;
    static final int PEER_A_ENDPOINT = 4;
    static final int PEER_A_PERSISTENT_KEEPALIVE_INTERVAL = 5;
    static final int PEER_A_LAST_HANDSHAKE_TIME = 6;
    static final int PEER_A_RX_BYTES = 7;
    static final int PEER_A_TX_BYTES = 8;
    static final int PEER_A_ALLOWEDIPS = 9;
    static final int PEER_A_PROTOCOL_VERSION = 10;

    static final int ALLOWEDIP_A_FAMILY = 1;
    static final int ALLOWEDIP_A_IPADDR = 2;
    static final int ALLOWEDIP_A_CIDR_MASK = 3;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCKADDR_IN_LENGTH = 16;
    static final int SOCKADDR_IN6_LENGTH = 28;
    /** struct __kernel_timespec {s64 tv_sec, s64 tv_nsec}. */
    static final int TIMESPEC_LENGTH = 16;

    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    /** struct ifinfomsg {u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change}. */
    static final int IFINFOMSG_LENGTH = 16;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_INFO_KIND = 1;
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    /** IFNAMSIZ - 1: the longest interface name. */
    static final int MAX_INTERFACE_NAME_BYTES = 15;

    private WireGuardGenl() {
    }
}
