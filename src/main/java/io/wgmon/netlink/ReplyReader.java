package io.wgmon.netlink;

import java.util.List;

/**
 * Picks the messages answering one request out of the datagrams a socket receives and tells
 * when the reply is complete (docs/architecture.md#netlink): at DONE for a dump (NLM_F_DUMP), at the
 * acknowledgement for NLM_F_ACK, at the first message otherwise. Messages with another sequence
 * number (multicast traffic, leftovers of an earlier request) are skipped. No socket inside.
 */
public final class ReplyReader<E extends Exception> {
    private final String operation;
    private final int sequence;
    private final boolean dump;
    private final boolean ack;
    private final ReplyHandler<E> handler;
    private boolean interrupted;
    private boolean complete;

    /** @param flags the request's flags: they say how its reply ends */
    public ReplyReader(String operation, int sequence, int flags, ReplyHandler<E> handler) {
        this.operation = operation;
        this.sequence = sequence;
        this.dump = (flags & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
        this.ack = (flags & Netlink.NLM_F_ACK) != 0;
        this.handler = handler;
    }

    /**
     * Takes one received datagram; later messages of it are not looked at once the reply is complete.
     *
     * @return true once the reply is complete
     * @throws NetlinkException REFUSED when the kernel answered with an errno, DUMP_INTERRUPTED
     *                          when it flagged the dump inconsistent (at its DONE)
     * @throws E                what the handler throws
     */
    public boolean accept(List<NetlinkMessage> datagram) throws E {
        for (int i = 0; i < datagram.size() && !complete; i++) {
            NetlinkMessage message = datagram.get(i);
            if (message.sequence() != sequence) {
                continue;
            }
            interrupted |= message.hasFlag(Netlink.NLM_F_DUMP_INTR);
            if (message.isError() || message.isDone()) {
                if (message.errno() != 0) {
                    throw NetlinkException.refused(operation, message.errno());
                }
                complete = message.isDone() || !dump;
                if (message.isDone() && interrupted) {
                    throw NetlinkException.dumpInterrupted(operation);
                }
            } else {
                handler.message(message);
                complete = !dump && !ack;
            }
        }
        return complete;
    }
}
