package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;

import java.time.Duration;

/**
 * One request of the kernel backend: the message to send, the reading of its reply as it
 * arrives, and what the kernel's refusals mean for it. The socket work is
 * {@link io.wgmon.netlink.NetlinkSocket#exchange}; one request object serves one exchange.
 */
abstract class KernelRequest<T> {
    private final String what;
    private final int type;
    private final int flags;

    /**
     * @param what  what the request does, for messages: "listing network links"
     * @param flags flags besides NLM_F_REQUEST, e.g. NLM_F_DUMP
     */
    KernelRequest(String what, int type, int flags) {
        this.what = what;
        this.type = type;
        this.flags = flags;
    }

    final String what() {
        return what;
    }

    final int type() {
        return type;
    }

    final int flags() {
        return flags;
    }

    /** Family header and attributes. */
    abstract byte[] body();

    /** One data message of the reply, valid only during the call. */
    abstract void message(NetlinkMessage message) throws WireGuardException;

    /** What the complete reply said. */
    abstract T result() throws WireGuardException;

    /** The exception for a kernel refusal (REFUSED with its errno) or an interrupted dump. */
    abstract WireGuardException refused(NetlinkException refusal);

    /** The one translation of a netlink failure into this request's terms. */
    final WireGuardException failed(NetlinkException e, Duration timeout) {
        return switch (e.reason()) {
            case REFUSED, DUMP_INTERRUPTED -> refused(e);
            case TIMEOUT -> new WireGuardException(Reason.TIMEOUT,
                    what + ": no complete reply from the kernel within " + timeout);
            case CLOSED -> new WireGuardException(Reason.IO, what + ": the netlink socket was closed");
            case MALFORMED -> new WireGuardException(Reason.MALFORMED_REPLY, what + ": " + e.getMessage(), e);
            case SYSTEM_CALL -> new WireGuardException(Reason.IO, what + ": " + e.getMessage(), e);
        };
    }
}
