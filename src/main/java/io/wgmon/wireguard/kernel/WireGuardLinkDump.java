package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.LinkChange;
import io.wgmon.netlink.LinkMessageParser;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import io.wgmon.os.Errno;

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
    private final LinkMessageParser parser = new LinkMessageParser();
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
        LinkChange link;
        try {
            link = parser.parse(message.type(), message.payload());
        } catch (LinkMessageParser.MalformedLinkMessage e) {
            throw malformed(e.getMessage());
        }
        if (FAMILY_NAME.equals(link.kind())) {
            if (link.name() == null) {
                throw malformed("a wireguard link has no IFLA_IFNAME");
            }
            names.add(link.name());
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
        return new WireGuardException(refusal.errno() == Errno.EPERM ? Reason.PERMISSION_DENIED : Reason.REFUSED,
                "listing network links failed: the kernel answered " + Errno.describe(refusal.errno()));
    }

    private static WireGuardException malformed(String problem) {
        return new WireGuardException(Reason.MALFORMED_REPLY, "malformed rtnetlink link dump: " + problem);
    }
}
