package io.wgmon.wireguard;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessage;

import java.util.List;

/**
 * Picks the messages answering one request out of the datagrams a netlink socket receives, and
 * tells when the answer is complete: at DONE for a dump, at the first message otherwise. Messages
 * with another sequence number (left over from an earlier request) are ignored.
 */
final class ReplyFollower {

    /** Receives each data message of the reply, while its payload is still valid. */
    interface MessageSink {
        void message(NetlinkMessage message) throws WireGuardException;
    }

    private final int sequence;
    private final boolean dump;
    private int errno;
    private boolean interrupted;
    private boolean complete;

    ReplyFollower(int sequence, boolean dump) {
        this.sequence = sequence;
        this.dump = dump;
    }

    /** @return true once the reply is complete; later messages are not looked at */
    boolean accept(List<NetlinkMessage> datagram, MessageSink sink) throws WireGuardException {
        for (int i = 0; i < datagram.size() && !complete; i++) {
            NetlinkMessage message = datagram.get(i);
            if (message.sequence() != sequence) {
                continue;
            }
            interrupted |= message.hasFlag(Netlink.NLM_F_DUMP_INTR);
            if (message.isError() || message.isDone()) {
                errno = message.errno();
                complete = message.isDone() || errno != 0 || !dump;
            } else {
                sink.message(message);
                complete = !dump;
            }
        }
        return complete;
    }

    /** The errno the kernel answered with, 0 when it did not refuse. */
    int errno() {
        return errno;
    }

    /** The kernel marked the dump inconsistent: the object changed while it was being dumped. */
    boolean interrupted() {
        return interrupted;
    }
}
