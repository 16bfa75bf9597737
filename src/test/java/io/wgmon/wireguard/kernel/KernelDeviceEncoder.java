package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.Netlink;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Encodes a {@link Device} as the kernel's {@code wg_get_device_dump} does
 * (drivers/net/wireguard/netlink.c), written from the uapi header layout:
 * <ul>
 * <li>each message is filled up to {@code messageBudget} bytes; device attributes only in the
 * first (LISTEN_PORT, FWMARK, IFINDEX, IFNAME, PRIVATE_KEY, PUBLIC_KEY), then a PEERS nest;</li>
 * <li>each peer is a nest of type 0: PUBLIC_KEY, PRESHARED_KEY, LAST_HANDSHAKE_TIME,
 * PERSISTENT_KEEPALIVE_INTERVAL, TX_BYTES, RX_BYTES, PROTOCOL_VERSION, ENDPOINT, ALLOWEDIPS;
 * a peer that does not fit is cancelled and starts the next message; when its allowed IPs run
 * out of room the peer ends there and continues in the next message with only PUBLIC_KEY and
 * the remaining ALLOWEDIPS;</li>
 * <li>each allowed IP is a nest of type 0: CIDR_MASK, FAMILY, IPADDR;</li>
 * <li>with {@code padU64}, a u64 is preceded by a 4-byte pad attribute of type 0 (the family's
 * UNSPEC) whenever its value would not be 8-byte aligned, as {@code nla_put_u64_64bit} does on
 * architectures without efficient unaligned access;</li>
 * <li>with {@code unknownAttributes}, attributes of types this code does not know are added at
 * every level, as a newer kernel might.</li>
 * </ul>
 */
final class KernelDeviceEncoder {
    static final int FAMILY_ID = 0x1c;
    static final byte[] PRIVATE_KEY = filled(0x5a);
    static final byte[] PRESHARED_KEY = filled(0xa5);

    private static final int NESTED = Netlink.NLA_F_NESTED;

    private final int messageBudget;
    private final boolean padU64;
    private final boolean unknownAttributes;

    KernelDeviceEncoder(int messageBudget, boolean padU64, boolean unknownAttributes) {
        this.messageBudget = messageBudget;
        this.padU64 = padU64;
        this.unknownAttributes = unknownAttributes;
    }

    /** The dump's messages (NLM_F_MULTI, type {@link #FAMILY_ID}), without the final DONE. */
    List<byte[]> messages(Device device, int sequence) {
        List<byte[]> messages = new ArrayList<>();
        List<Peer> peers = device.peers();
        int peer = 0;
        int nextAllowedIp = -1;
        boolean first = true;
        boolean done = false;
        while (!done) {
            Message message = new Message(messageBudget);
            message.header(sequence);
            if (first) {
                require(deviceAttributes(message, device), "device attributes");
            }
            int peersNest = message.nestStart(WireGuardGenl.DEVICE_A_PEERS);
            require(peersNest >= 0, "PEERS nest");
            done = true;
            if (peers.isEmpty()) {
                message.cancel(peersNest);
            } else {
                int startPeer = peer;
                int startAllowedIp = nextAllowedIp;
                for (; peer < peers.size(); peer++) {
                    int result = peer(message, peers.get(peer), nextAllowedIp);
                    if (result == COMPLETE) {
                        nextAllowedIp = -1;
                        continue;
                    }
                    done = false;
                    if (result >= 0) {
                        nextAllowedIp = result;
                    }
                    break;
                }
                require(done || peer != startPeer || nextAllowedIp != startAllowedIp, "one peer or allowed IP");
                message.nestEnd(peersNest);
            }
            messages.add(message.finish());
            first = false;
        }
        return messages;
    }

    static byte[] done(int sequence) {
        ByteBuffer out = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        out.putInt(20).putShort((short) Netlink.NLMSG_DONE).putShort((short) Netlink.NLM_F_MULTI)
                .putInt(sequence).putInt(0).putInt(0);
        return out.array();
    }

    /** The payloads (genlmsghdr and attributes) of encoded messages, as fresh writable buffers. */
    static List<ByteBuffer> payloads(List<byte[]> messages) {
        List<ByteBuffer> payloads = new ArrayList<>();
        for (byte[] message : messages) {
            int length = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getInt(0);
            payloads.add(ByteBuffer.wrap(Arrays.copyOfRange(message, Netlink.HEADER_LENGTH, length)));
        }
        return payloads;
    }

    private static final int COMPLETE = -1;
    private static final int CANCELLED = -2;

    private boolean deviceAttributes(Message m, Device device) {
        boolean fits = m.putU16(WireGuardGenl.DEVICE_A_LISTEN_PORT, device.listenPort())
                && m.putU32(WireGuardGenl.DEVICE_A_FWMARK, device.fwmark())
                && m.putU32(WireGuardGenl.DEVICE_A_IFINDEX, 7)
                && m.put(WireGuardGenl.DEVICE_A_IFNAME, nulTerminated(device.name()));
        if (fits && device.publicKey() != null) {
            fits = m.put(WireGuardGenl.DEVICE_A_PRIVATE_KEY, PRIVATE_KEY)
                    && m.put(WireGuardGenl.DEVICE_A_PUBLIC_KEY, Base64.getDecoder().decode(device.publicKey()));
        }
        if (fits && unknownAttributes) {
            fits = m.putU32(WireGuardGenl.DEVICE_A_PEERS + 7, 0xdeadbeef);
        }
        return fits;
    }

    /** @return COMPLETE, CANCELLED, or the index of the first allowed IP that did not fit */
    private int peer(Message m, Peer peer, int fromAllowedIp) {
        int nest = m.nestStart(0);
        if (nest < 0) {
            return CANCELLED;
        }
        if (!m.put(WireGuardGenl.PEER_A_PUBLIC_KEY, Base64.getDecoder().decode(peer.publicKey()))) {
            m.cancel(nest);
            return CANCELLED;
        }
        int from = fromAllowedIp;
        if (from < 0) {
            if (!peerAttributes(m, peer)) {
                m.cancel(nest);
                return CANCELLED;
            }
            from = 0;
        }
        if (from >= peer.allowedIps().size()) {
            m.nestEnd(nest);
            return COMPLETE;
        }
        int allowedIps = m.nestStart(WireGuardGenl.PEER_A_ALLOWEDIPS);
        if (allowedIps < 0) {
            m.cancel(nest);
            return CANCELLED;
        }
        for (int i = from; i < peer.allowedIps().size(); i++) {
            if (!allowedIp(m, peer.allowedIps().get(i))) {
                m.nestEnd(allowedIps);
                m.nestEnd(nest);
                return i;
            }
        }
        m.nestEnd(allowedIps);
        m.nestEnd(nest);
        return COMPLETE;
    }

    private boolean peerAttributes(Message m, Peer peer) {
        ByteBuffer handshake = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        if (peer.lastHandshake() != null) {
            handshake.putLong(peer.lastHandshake().getEpochSecond()).putLong(peer.lastHandshake().getNano());
        }
        boolean fits = m.put(WireGuardGenl.PEER_A_PRESHARED_KEY, PRESHARED_KEY)
                && m.put(WireGuardGenl.PEER_A_LAST_HANDSHAKE_TIME, handshake.array())
                && m.putU16(WireGuardGenl.PEER_A_PERSISTENT_KEEPALIVE_INTERVAL, peer.persistentKeepalive())
                && m.putU64(WireGuardGenl.PEER_A_TX_BYTES, peer.txBytes())
                && m.putU64(WireGuardGenl.PEER_A_RX_BYTES, peer.rxBytes())
                && m.putU32(WireGuardGenl.PEER_A_PROTOCOL_VERSION, peer.protocolVersion());
        if (fits && unknownAttributes) {
            fits = m.put(WireGuardGenl.PEER_A_PROTOCOL_VERSION + 5, new byte[] {1, 2, 3});
        }
        if (fits && peer.endpoint() != null) {
            fits = m.put(WireGuardGenl.PEER_A_ENDPOINT, sockaddr(peer.endpoint()));
        }
        return fits;
    }

    private boolean allowedIp(Message m, String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = literal(cidr.substring(0, slash));
        int nest = m.nestStart(0);
        boolean fits = nest >= 0
                && m.putU8(WireGuardGenl.ALLOWEDIP_A_CIDR_MASK, Integer.parseInt(cidr.substring(slash + 1)))
                && m.putU16(WireGuardGenl.ALLOWEDIP_A_FAMILY,
                        address.length == 4 ? WireGuardGenl.AF_INET : WireGuardGenl.AF_INET6)
                && m.put(WireGuardGenl.ALLOWEDIP_A_IPADDR, address)
                && (!unknownAttributes || m.putU8(WireGuardGenl.ALLOWEDIP_A_CIDR_MASK + 9, 9));
        if (!fits) {
            if (nest >= 0) {
                m.cancel(nest);
            }
            return false;
        }
        m.nestEnd(nest);
        return true;
    }

    /** struct sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes): family host order, port big-endian. */
    static byte[] sockaddr(InetSocketAddress endpoint) {
        byte[] address = endpoint.getAddress().getAddress();
        boolean v6 = endpoint.getAddress() instanceof Inet6Address;
        ByteBuffer out = ByteBuffer.allocate(v6 ? 28 : 16).order(ByteOrder.nativeOrder());
        out.putShort((short) (v6 ? WireGuardGenl.AF_INET6 : WireGuardGenl.AF_INET));
        out.order(ByteOrder.BIG_ENDIAN).putShort((short) endpoint.getPort()).order(ByteOrder.nativeOrder());
        if (v6) {
            out.putInt(0).put(address).putInt(0);
        } else {
            out.put(address);
        }
        return out.array();
    }

    private static byte[] literal(String address) {
        try {
            // a literal, so no name lookup happens
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return address.contains(":") && bytes.length == 4 ? mapped(bytes) : bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** InetAddress turns "::ffff:a.b.c.d" into an IPv4 address; the kernel keeps 16 bytes. */
    private static byte[] mapped(byte[] ipv4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, v6, 12, 4);
        return v6;
    }

    private static byte[] nulTerminated(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("message budget too small for " + what);
        }
    }

    /** One message being filled, like an skb: every put either fits the budget or changes nothing. */
    private final class Message {
        private final ByteBuffer out;

        Message(int budget) {
            out = ByteBuffer.allocate(budget).order(ByteOrder.nativeOrder());
        }

        void header(int sequence) {
            out.putInt(0).putShort((short) FAMILY_ID).putShort((short) Netlink.NLM_F_MULTI)
                    .putInt(sequence).putInt(0);
            out.put((byte) WireGuardGenl.CMD_GET_DEVICE).put((byte) WireGuardGenl.FAMILY_VERSION).putShort((short) 0);
        }

        boolean put(int type, byte[] value) {
            int length = 4 + value.length;
            if (Netlink.align(length) > out.remaining()) {
                return false;
            }
            out.putShort((short) length).putShort((short) type).put(value);
            while ((out.position() & 3) != 0) {
                out.put((byte) 0);
            }
            return true;
        }

        boolean putU8(int type, int value) {
            return put(type, new byte[] {(byte) value});
        }

        boolean putU16(int type, int value) {
            return put(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
        }

        boolean putU32(int type, int value) {
            return put(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
        }

        boolean putU64(int type, long value) {
            boolean pad = padU64 && ((out.position() + 4) & 7) != 0;
            if ((pad ? 4 : 0) + 12 > out.remaining()) {
                return false;
            }
            if (pad) {
                put(0, new byte[0]);
            }
            return put(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array());
        }

        /** @return the nest's start, or -1 when not even its header fits */
        int nestStart(int type) {
            if (out.remaining() < 4) {
                return -1;
            }
            int start = out.position();
            out.putShort((short) 0).putShort((short) (type | NESTED));
            return start;
        }

        void nestEnd(int start) {
            out.putShort(start, (short) (out.position() - start));
        }

        void cancel(int start) {
            for (int i = start; i < out.position(); i++) {
                out.put(i, (byte) 0);
            }
            out.position(start);
        }

        byte[] finish() {
            out.putInt(0, out.position());
            return Arrays.copyOf(out.array(), out.position());
        }
    }
}
