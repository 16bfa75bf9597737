package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.netlink.ReplyReader;
import io.wgmon.wireguard.WireGuardException;

import java.util.List;
import java.util.Optional;

/**
 * Feeds a request datagrams as {@link io.wgmon.netlink.NetlinkSocket#exchange} would, through the
 * same {@link ReplyReader} and the request's own {@link KernelRequest#failed}, without a socket.
 */
final class ReplyDriver<T> {
    private final KernelRequest<T> request;
    private final ReplyReader<WireGuardException> reader;

    ReplyDriver(KernelRequest<T> request, int sequence) {
        this.request = request;
        this.reader = new ReplyReader<>("test", sequence, Netlink.NLM_F_REQUEST | request.flags(), request::message);
    }

    /** The request message as the socket sends it. */
    static byte[] encoded(KernelRequest<?> request, int sequence) {
        return NetlinkMessageCodec.encode(request.type(), Netlink.NLM_F_REQUEST | request.flags(), sequence, 0,
                request.body());
    }

    /**
     * A fuzzed datagram's messages, or empty when the codec rejects its framing: that is the codec's
     * own contract, fuzzed by NetlinkMessageCodecFuzzIT, not the request's.
     */
    static Optional<List<NetlinkMessage>> framed(byte[] datagram) {
        try {
            return Optional.of(NetlinkMessageCodec.decode(datagram, datagram.length));
        } catch (NetlinkException framing) {
            return Optional.empty();
        }
    }

    boolean accept(List<NetlinkMessage> datagram) throws WireGuardException {
        try {
            return reader.accept(datagram);
        } catch (NetlinkException e) {
            throw request.failed(e, null);
        }
    }

    T result() throws WireGuardException {
        return request.result();
    }
}
