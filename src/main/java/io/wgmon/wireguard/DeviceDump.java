package io.wgmon.wireguard;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Errno;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;

import java.util.List;

import static io.wgmon.wireguard.WireGuardGenl.*;

/**
 * {@code WG_CMD_GET_DEVICE} for one interface by name: the dump request, and its reply parsed
 * as it arrives (no copies of the messages). The kernel's refusals become the exceptions the
 * {@link WireGuardClient} contract names.
 */
final class DeviceDump implements NetlinkExchange {
    private final String name;
    private final int familyId;
    private final int sequence;
    private final ReplyFollower follower;
    private final WireGuardGenlParser parser;

    DeviceDump(String name, int familyId, int sequence) {
        this.name = name;
        this.familyId = familyId;
        this.sequence = sequence;
        this.follower = new ReplyFollower(sequence, true);
        this.parser = new WireGuardGenlParser(name);
    }

    @Override
    public byte[] request() {
        byte[] body = new AttributeWriter()
                .header(new byte[] {CMD_GET_DEVICE, FAMILY_VERSION, 0, 0})
                .putString(DEVICE_A_IFNAME, name)
                .toByteArray();
        return NetlinkMessageCodec.encode(familyId, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, sequence, 0, body);
    }

    @Override
    public boolean accept(List<NetlinkMessage> datagram) throws WireGuardException {
        return follower.accept(datagram, this::message);
    }

    private void message(NetlinkMessage message) throws WireGuardException {
        if (message.type() != familyId) {
            throw new WireGuardException(name + ": malformed WireGuard netlink reply: message type "
                    + message.type() + " in the reply to family " + familyId);
        }
        parser.feed(message.payload());
    }

    /**
     * The device, once the reply is complete.
     *
     * @throws DeviceNotFoundException   no such interface, or it is not a WireGuard interface
     * @throws ModuleNotLoadedException  the family id is unknown to the kernel (module gone or reloaded)
     * @throws DumpInterruptedException  the device changed during the dump; a new dump may succeed
     * @throws WireGuardException        any other refusal (EPERM: no CAP_NET_ADMIN) or a malformed reply
     */
    Device device() throws WireGuardException {
        int errno = follower.errno();
        switch (errno) {
            case 0 -> {
            }
            case Errno.ENODEV -> throw new DeviceNotFoundException(name + ": no such WireGuard interface");
            case Errno.EOPNOTSUPP -> throw new DeviceNotFoundException(name + ": not a WireGuard interface");
            case Errno.EPERM -> throw new WireGuardException(name + ": reading a WireGuard device needs"
                    + " CAP_NET_ADMIN (the kernel answered EPERM)");
            case Errno.ENOENT -> throw new ModuleNotLoadedException(" (generic netlink family id " + familyId
                    + " is unknown to the kernel)");
            default -> throw new WireGuardException(name + ": reading the WireGuard device failed: the kernel"
                    + " answered " + Errno.describe(errno));
        }
        if (follower.interrupted()) {
            throw new DumpInterruptedException(name + ": the device changed while it was being read");
        }
        return parser.device();
    }
}
