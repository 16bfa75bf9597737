package io.wgmon.wireguard;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Errno;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.wgmon.wireguard.WireGuardGenl.*;

/**
 * An rtnetlink {@code RTM_GETLINK} dump of the socket's network namespace, keeping the names of
 * links whose {@code IFLA_LINKINFO/IFLA_INFO_KIND} is "wireguard". Without the module there are
 * simply no such links. Statistics are left out of the reply ({@code RTEXT_FILTER_SKIP_STATS}).
 */
final class WireGuardLinkDump implements NetlinkExchange {
    private static final byte[] KIND = FAMILY_NAME.getBytes(StandardCharsets.US_ASCII);

    private final int sequence;
    private final ReplyFollower follower;
    private final AttributeCursor linkAttributes = new AttributeCursor();
    private final AttributeCursor linkInfo = new AttributeCursor();
    private final List<String> names = new ArrayList<>();

    WireGuardLinkDump(int sequence) {
        this.sequence = sequence;
        this.follower = new ReplyFollower(sequence, true);
    }

    @Override
    public byte[] request() {
        byte[] body = new AttributeWriter()
                .header(new byte[IFINFOMSG_LENGTH])
                .putU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
                .toByteArray();
        return NetlinkMessageCodec.encode(RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, sequence, 0, body);
    }

    @Override
    public boolean accept(List<NetlinkMessage> datagram) throws WireGuardException {
        return follower.accept(datagram, this::link);
    }

    private void link(NetlinkMessage message) throws WireGuardException {
        if (message.type() != RTM_NEWLINK) {
            throw malformed("unexpected message type " + message.type());
        }
        ByteBuffer payload = message.payload();
        if (payload.remaining() < IFINFOMSG_LENGTH) {
            throw malformed("link message of " + payload.remaining() + " bytes has no ifinfomsg header");
        }
        try {
            if (isWireGuard(payload)) {
                names.add(name(payload));
            }
        } catch (MalformedReplyException e) {
            throw malformed(e.getMessage());
        }
    }

    private boolean isWireGuard(ByteBuffer payload) throws MalformedReplyException {
        linkAttributes.reset(payload, IFINFOMSG_LENGTH, payload.limit());
        while (linkAttributes.next()) {
            if (linkAttributes.type() == IFLA_LINKINFO) {
                linkInfo.enter(linkAttributes);
                while (linkInfo.next()) {
                    if (linkInfo.type() == IFLA_INFO_KIND && linkInfo.valueIsString(KIND)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private String name(ByteBuffer payload) throws MalformedReplyException {
        linkAttributes.reset(payload, IFINFOMSG_LENGTH, payload.limit());
        while (linkAttributes.next()) {
            if (linkAttributes.type() == IFLA_IFNAME) {
                return linkAttributes.string();
            }
        }
        throw new MalformedReplyException("a wireguard link has no IFLA_IFNAME");
    }

    /** The WireGuard interface names, sorted, once the reply is complete. */
    List<String> names() throws WireGuardException {
        if (follower.errno() != 0) {
            throw new WireGuardException("listing network links failed: the kernel answered "
                    + Errno.describe(follower.errno()));
        }
        if (follower.interrupted()) {
            throw new DumpInterruptedException("the network links changed while they were being listed");
        }
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        return List.copyOf(sorted);
    }

    private static WireGuardException malformed(String problem) {
        return new WireGuardException("malformed rtnetlink link dump: " + problem);
    }
}
