package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.ReplyBudget;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import io.wgmon.os.Errno;

import static io.wgmon.wireguard.kernel.WireGuardGenl.*;

/**
 * {@code WG_CMD_GET_DEVICE} for one interface by name: the dump request, and its reply parsed
 * as it arrives (no copies of the messages). The kernel's refusals become the reasons the
 * {@link io.wgmon.wireguard.WireGuardClient} contract names.
 */
final class DeviceDump extends KernelRequest<Device> {
    private final String name;
    private final int familyId;
    private final ReplyBudget budget;
    private final WireGuardGenlParser parser;

    /** @param limits bound the dump in bytes (of all its messages), peers and allowed IPs */
    DeviceDump(String name, int familyId, ReplyLimits limits) {
        super(name + ": reading the WireGuard device", familyId, Netlink.NLM_F_DUMP);
        this.name = name;
        this.familyId = familyId;
        this.budget = limits.budget(name + ": WireGuard netlink dump");
        this.parser = new WireGuardGenlParser(name, budget);
    }

    @Override
    byte[] body() {
        return new AttributeWriter()
                .header(new byte[] {CMD_GET_DEVICE, FAMILY_VERSION, 0, 0})
                .putString(DEVICE_A_IFNAME, name)
                .toByteArray();
    }

    @Override
    void message(NetlinkMessage message) throws WireGuardException {
        if (message.type() != familyId) {
            throw new WireGuardException(Reason.MALFORMED_REPLY, name + ": malformed WireGuard netlink reply:"
                    + " message type " + message.type() + " in the reply to family " + familyId);
        }
        if (!budget.admitBytes(Netlink.HEADER_LENGTH + message.payloadLength())) {
            throw budget.exceeded();
        }
        parser.feed(message.payload());
    }

    @Override
    Device result() throws WireGuardException {
        return parser.device();
    }

    /**
     * ENODEV: no such interface; EOPNOTSUPP: not a WireGuard interface (both NO_SUCH_DEVICE);
     * EPERM: no CAP_NET_ADMIN; ENOENT: the family id is unknown to the kernel (module gone or
     * reloaded); NLM_F_DUMP_INTR: the device changed during the dump, a new dump may succeed.
     */
    @Override
    WireGuardException refused(NetlinkException refusal) {
        if (refusal.reason() == NetlinkException.Reason.DUMP_INTERRUPTED) {
            return new WireGuardException(Reason.DUMP_INTERRUPTED, name + ": the device changed while it was being read");
        }
        int errno = refusal.errno();
        if (errno == Errno.ENODEV) {
            return new WireGuardException(Reason.NO_SUCH_DEVICE, name + ": no such WireGuard interface");
        }
        if (errno == Errno.EOPNOTSUPP) {
            return new WireGuardException(Reason.NO_SUCH_DEVICE, name + ": not a WireGuard interface");
        }
        if (errno == Errno.EPERM) {
            return new WireGuardException(Reason.PERMISSION_DENIED, name + ": reading a WireGuard device needs"
                    + " CAP_NET_ADMIN (the kernel answered EPERM)");
        }
        if (errno == Errno.ENOENT) {
            return new WireGuardException(Reason.MODULE_NOT_LOADED, "the wireguard kernel module is not loaded"
                    + " (generic netlink family id " + familyId + " is unknown to the kernel)");
        }
        return new WireGuardException(Reason.REFUSED, name + ": reading the WireGuard device failed: the kernel"
                + " answered " + Errno.describe(errno));
    }
}
