package io.wgmon.wireguard;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Errno;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;

import java.nio.ByteBuffer;
import java.util.List;

import static io.wgmon.wireguard.WireGuardGenl.*;

/** Asks the generic netlink controller for a family's id ({@code CTRL_CMD_GETFAMILY} by name). */
final class FamilyLookup implements NetlinkExchange {
    private final String familyName;
    private final int sequence;
    private final ReplyFollower follower;
    private final AttributeCursor attributes = new AttributeCursor();
    private int familyId = -1;

    FamilyLookup(String familyName, int sequence) {
        this.familyName = familyName;
        this.sequence = sequence;
        this.follower = new ReplyFollower(sequence, false);
    }

    @Override
    public byte[] request() {
        byte[] body = new AttributeWriter()
                .header(new byte[] {CTRL_CMD_GETFAMILY, 1, 0, 0})
                .putString(CTRL_ATTR_FAMILY_NAME, familyName)
                .toByteArray();
        return NetlinkMessageCodec.encode(GENL_ID_CTRL, Netlink.NLM_F_REQUEST, sequence, 0, body);
    }

    @Override
    public boolean accept(List<NetlinkMessage> datagram) throws WireGuardException {
        return follower.accept(datagram, this::message);
    }

    private void message(NetlinkMessage message) throws WireGuardException {
        if (message.type() != GENL_ID_CTRL) {
            throw malformed("unexpected message type " + message.type());
        }
        ByteBuffer payload = message.payload();
        if (payload.remaining() < GENL_HEADER_LENGTH) {
            throw malformed("no generic netlink header");
        }
        try {
            attributes.reset(payload, GENL_HEADER_LENGTH, payload.limit());
            while (attributes.next()) {
                if (attributes.type() == CTRL_ATTR_FAMILY_ID) {
                    attributes.requireLength(2, "CTRL_ATTR_FAMILY_ID");
                    familyId = attributes.u16();
                }
            }
        } catch (MalformedReplyException e) {
            throw malformed(e.getMessage());
        }
    }

    /** The family's id, once the reply is complete. */
    int familyId() throws WireGuardException {
        int errno = follower.errno();
        if (errno == Errno.ENOENT) {
            throw new ModuleNotLoadedException(" (no generic netlink family \"" + familyName + "\")");
        }
        if (errno != 0) {
            throw new WireGuardException("looking up the generic netlink family \"" + familyName
                    + "\" failed: the kernel answered " + Errno.describe(errno));
        }
        if (familyId <= 0) {
            throw malformed("no CTRL_ATTR_FAMILY_ID");
        }
        return familyId;
    }

    private WireGuardException malformed(String problem) {
        return new WireGuardException("malformed reply to the lookup of the generic netlink family \""
                + familyName + "\": " + problem);
    }
}
