package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import io.wgmon.os.Errno;

import java.nio.ByteBuffer;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/** Asks the generic netlink controller for a family's id ({@code CTRL_CMD_GETFAMILY} by name). */
final class FamilyLookup extends KernelRequest<Integer> {
    private final String familyName;
    private final AttributeDecoder attributes = new AttributeDecoder();
    private int familyId = -1;

    FamilyLookup(String familyName) {
        super("looking up the " + familyName + " generic netlink family", GENL_ID_CTRL, 0);
        this.familyName = familyName;
    }

    @Override
    byte[] body() {
        return new AttributeWriter()
                .header(new byte[] {CTRL_CMD_GETFAMILY, 1, 0, 0})
                .putString(CTRL_ATTR_FAMILY_NAME, familyName)
                .toByteArray();
    }

    @Override
    void message(NetlinkMessage message) throws WireGuardException {
        if (message.type() != GENL_ID_CTRL) {
            throw malformed("unexpected message type " + message.type());
        }
        ByteBuffer payload = message.payload();
        if (payload.remaining() < GENL_HEADER_LENGTH) {
            throw malformed("no generic netlink header");
        }
        attributes.reset(payload, GENL_HEADER_LENGTH, payload.limit());
        while (attributes.next()) {
            if (attributes.type() == CTRL_ATTR_FAMILY_ID && attributes.requireLength(2, "CTRL_ATTR_FAMILY_ID")) {
                familyId = attributes.uint16();
            }
        }
        if (attributes.error() != null) {
            throw malformed(attributes.error());
        }
    }

    /** The family's id. */
    @Override
    Integer result() throws WireGuardException {
        if (familyId <= 0) {
            throw malformed("no CTRL_ATTR_FAMILY_ID");
        }
        return familyId;
    }

    @Override
    WireGuardException refused(NetlinkException refusal) {
        if (refusal.errno() == Errno.ENOENT) {
            return new WireGuardException(Reason.MODULE_NOT_LOADED, "the wireguard kernel module is not loaded"
                    + " (no generic netlink family \"" + familyName + "\")");
        }
        return new WireGuardException(Reason.REFUSED, "looking up the generic netlink family \"" + familyName
                + "\" failed: the kernel answered " + Errno.describe(refusal.errno()));
    }

    private WireGuardException malformed(String problem) {
        return new WireGuardException(Reason.MALFORMED_REPLY, "malformed reply to the lookup of the generic netlink"
                + " family \"" + familyName + "\": " + problem);
    }
}
