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
interface KernelRequest<T> {

    /** What the request does, for messages: "listing network links". */
    String what();

    int type();

    /** Flags besides NLM_F_REQUEST, e.g. NLM_F_DUMP. */
    int flags();

    /** Family header and attributes. */
    byte[] body();

    /** One data message of the reply, valid only during the call. */
    void message(NetlinkMessage message) throws WireGuardException;

    /** What the complete reply said. */
    T result() throws WireGuardException;

    /** The exception for a kernel refusal (REFUSED with its errno) or an interrupted dump. */
    WireGuardException refused(NetlinkException refusal);

    /** The one translation of a netlink failure into this request's terms. */
    default WireGuardException failed(NetlinkException e, Duration timeout) {
        return switch (e.reason()) {
            case REFUSED, DUMP_INTERRUPTED -> refused(e);
            case TIMEOUT -> new WireGuardException(Reason.TIMEOUT,
                    what() + ": no complete reply from the kernel within " + timeout);
            case CLOSED -> new WireGuardException(Reason.IO, what() + ": the netlink socket was closed");
            case MALFORMED -> new WireGuardException(Reason.MALFORMED_REPLY, what() + ": " + e.getMessage(), e);
            case SYSTEM_CALL -> new WireGuardException(Reason.IO, what() + ": " + e.getMessage(), e);
        };
    }
}
