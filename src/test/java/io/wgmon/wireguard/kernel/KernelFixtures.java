package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import jnr.constants.platform.Errno;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Devices, keys and netlink byte fixtures shared by the kernel backend's tests. */
final class KernelFixtures {
    static final String DEVICE_KEY = key(0x22);
    static final String PEER_KEY = key(0x33);

    private KernelFixtures() {
    }

    static String key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static InetSocketAddress endpoint(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** One peer with everything set, as {@link #onePeerMessage(int)} describes it. */
    static Device onePeerDevice() {
        Peer peer = new Peer(PEER_KEY, endpoint("192.0.2.2", 51820), List.of("10.10.10.2/32"),
                Instant.ofEpochSecond(1_700_000_000L, 123), 2000, 1000, 25, 1);
        return new Device("wg0", DEVICE_KEY, 51820, 0, List.of(peer));
    }

    /**
     * The dump message for {@link #onePeerDevice()}, written byte by byte from the uapi header
     * (x86-64, little-endian; no pad attributes): nlmsghdr, genlmsghdr, device attributes, PEERS.
     */
    static byte[] onePeerMessage(int sequence) {
        String seq = String.format(Locale.ROOT, "%08x", Integer.reverseBytes(sequence));
        return hex("3c010000 1c00 0200" + seq + "00000000"  // nlmsghdr: 316 bytes, family 0x1c, MULTI
                + "00010000"                                   // genlmsghdr: GET_DEVICE, version 1
                + "0600 0600 6cca 0000"                        // LISTEN_PORT 51820
                + "0800 0700 00000000"                         // FWMARK 0
                + "0800 0100 07000000"                         // IFINDEX 7
                + "0800 0200 77673000"                         // IFNAME "wg0"
                + "2400 0300" + "5a".repeat(32)                // PRIVATE_KEY
                + "2400 0400" + "22".repeat(32)                // PUBLIC_KEY
                + "c000 0880"                                  // PEERS, nested, 192 bytes
                + "bc00 0080"                                  //   peer 0, nested, 188 bytes
                + "2400 0100" + "33".repeat(32)                //     PUBLIC_KEY
                + "2400 0200" + "a5".repeat(32)                //     PRESHARED_KEY
                + "1400 0600 00f15365 00000000 7b000000 00000000" // LAST_HANDSHAKE_TIME 1700000000 s, 123 ns
                + "0600 0500 1900 0000"                        //     PERSISTENT_KEEPALIVE_INTERVAL 25
                + "0c00 0800 e803000000000000"                 //     TX_BYTES 1000
                + "0c00 0700 d007000000000000"                 //     RX_BYTES 2000
                + "0800 0a00 01000000"                         //     PROTOCOL_VERSION 1
                + "1400 0400 0200 ca6c c0000202 0000000000000000" // ENDPOINT AF_INET 192.0.2.2:51820
                + "2000 0980"                                  //     ALLOWEDIPS, nested, 32 bytes
                + "1c00 0080"                                  //       allowed IP 0, nested
                + "0500 0300 20000000"                         //         CIDR_MASK 32
                + "0600 0100 0200 0000"                        //         FAMILY AF_INET
                + "0800 0200 0a0a0a02");                       //         IPADDR 10.10.10.2
    }

    /** An NLMSG_ERROR answering a request with this sequence number with {@code -errno}. */
    static byte[] errorMessage(int sequence, Errno errno) {
        ByteBuffer out = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        out.putInt(36).putShort((short) Netlink.NLMSG_ERROR).putShort((short) 0).putInt(sequence).putInt(4242);
        out.putInt(-errno.intValue());
        // the request's own header follows the error code
        out.putInt(32).putShort((short) KernelDeviceEncoder.FAMILY_ID)
                .putShort((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)).putInt(sequence).putInt(0);
        return out.array();
    }

    /** Several netlink messages in one datagram, decoded as a socket would hand them over. */
    static List<NetlinkMessage> datagram(byte[]... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            out.writeBytes(message);
        }
        byte[] bytes = out.toByteArray();
        return NetlinkMessageCodec.decode(bytes, bytes.length);
    }

    /** Sets the flag bits in an encoded message's header. */
    static byte[] withFlags(byte[] message, int flags) {
        byte[] copy = message.clone();
        ByteBuffer header = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        header.putShort(6, (short) (header.getShort(6) | flags));
        return copy;
    }
}
