package io.wgmon.capture.nflog;

import io.wgmon.capture.PacketSourceException;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.os.Errno;

import java.util.Optional;

/**
 * One-line operator messages for a failed NFLOG start. A group held by another socket shows up
 * as EBUSY only when the same socket binds twice; a different socket gets EPERM, the same errno
 * as a missing CAP_NET_ADMIN, so EPERM is told apart by whether we hold that capability.
 */
final class NflogStartErrors {

    private NflogStartErrors() {
    }

    static PacketSourceException of(int group, String step, NetlinkException cause, Optional<Boolean> holdsNetAdmin) {
        return new PacketSourceException(message(group, step, cause.errno(), cause.getMessage(), holdsNetAdmin), cause);
    }

    static String message(int group, String step, int errno, String detail, Optional<Boolean> holdsNetAdmin) {
        String busy = "NFLOG group " + group + " is held by another process in this network namespace"
                + " (e.g. a leftover `tcpdump -i nflog:" + group + "`); stop it or choose another group"
                + " with wgmon.nflog.group";
        String noCapability = "binding NFLOG group " + group + " needs CAP_NET_ADMIN"
                + " (run as root or add the NET_ADMIN capability)";
        if (errno == Errno.EBUSY) {
            return busy;
        }
        if (errno == Errno.EPERM) {
            return holdsNetAdmin.map(held -> held ? busy : noCapability)
                    .orElse("binding NFLOG group " + group + " was refused (EPERM): either wgmon lacks"
                            + " CAP_NET_ADMIN, or another process in this network namespace holds the group"
                            + " (e.g. a leftover `tcpdump -i nflog:" + group + "`; see wgmon.nflog.group)");
        }
        return "cannot start NFLOG group " + group + " (" + step + "): " + detail;
    }
}
