package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import jnr.constants.platform.Errno;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/**
 * An rtnetlink {@code RTM_GETLINK} dump of the socket's network namespace, keeping the names of
 * links whose {@code IFLA_LINKINFO/IFLA_INFO_KIND} is "wireguard". Without the module there are
 * simply no such links. Statistics are left out of the reply ({@code RTEXT_FILTER_SKIP_STATS}).
 */
final class WireGuardLinkDump extends KernelRequest<List<String>> {
    private static final byte[] KIND = FAMILY_NAME.getBytes(StandardCharsets.US_ASCII);

    private final AttributeDecoder linkAttributes = new AttributeDecoder();
    private final AttributeDecoder linkInfo = new AttributeDecoder();
    private final List<String> names = new ArrayList<>();

    WireGuardLinkDump() {
        super("listing network links", RTM_GETLINK, Netlink.NLM_F_DUMP);
    }

    @Override
    byte[] body() {
        return new AttributeWriter()
                .header(new byte[IFINFOMSG_LENGTH])
                .putU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
                .toByteArray();
    }

    @Override
    void message(NetlinkMessage message) throws WireGuardException {
        if (message.type() != RTM_NEWLINK) {
            throw malformed("unexpected message type " + message.type());
        }
        ByteBuffer payload = message.payload();
        if (payload.remaining() < IFINFOMSG_LENGTH) {
            throw malformed("link message of " + payload.remaining() + " bytes has no ifinfomsg header");
        }
        String name = null;
        boolean wireGuard = false;
        linkAttributes.reset(payload, IFINFOMSG_LENGTH, payload.limit());
        while (linkAttributes.next()) {
            if (linkAttributes.type() == IFLA_IFNAME && name == null) {
                name = linkAttributes.string();
            } else if (linkAttributes.type() == IFLA_LINKINFO) {
                linkInfo.enter(linkAttributes);
                while (linkInfo.next()) {
                    wireGuard |= linkInfo.type() == IFLA_INFO_KIND && linkInfo.valueIsString(KIND);
                }
            }
        }
        if (linkAttributes.error() != null) {
            throw malformed(linkAttributes.error());
        }
        if (wireGuard && name == null) {
            throw malformed("a wireguard link has no IFLA_IFNAME");
        }
        if (wireGuard) {
            names.add(name);
        }
    }

    /** The WireGuard interface names, sorted. */
    @Override
    List<String> result() {
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        return List.copyOf(sorted);
    }

    @Override
    WireGuardException refused(NetlinkException refusal) {
        if (refusal.reason() == NetlinkException.Reason.DUMP_INTERRUPTED) {
            return new WireGuardException(Reason.DUMP_INTERRUPTED, "the network links changed while they were being listed");
        }
        return new WireGuardException(refusal.errnoValue() == Errno.EPERM.intValue() ? Reason.PERMISSION_DENIED : Reason.REFUSED,
                "listing network links failed: the kernel answered " + NetlinkException.describe(refusal.errnoValue()));
    }

    private static WireGuardException malformed(String problem) {
        return new WireGuardException(Reason.MALFORMED_REPLY, "malformed rtnetlink link dump: " + problem);
    }
}
