package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.netlink.ReplyReader;
import io.wgmon.wireguard.WireGuardException;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
     * The fuzz targets' check: a fuzzed datagram fed to a fresh request gives a result, handed to
     * {@code check}, or a {@link WireGuardException} with one of the {@code allowed} reasons. A
     * datagram the codec rejects is skipped: that is the codec's own contract, fuzzed by
     * NetlinkMessageCodecFuzzIT.
     */
    static <T> void fuzz(byte[] datagram, KernelRequest<T> request, int sequence,
                         Set<WireGuardException.Reason> allowed, Consumer<T> check) {
        List<NetlinkMessage> messages;
        try {
            messages = NetlinkMessageCodec.decode(datagram, datagram.length);
        } catch (NetlinkException framing) {
            return;
        }
        ReplyDriver<T> driver = new ReplyDriver<>(request, sequence);
        try {
            if (driver.accept(messages)) {
                check.accept(driver.result());
            }
        } catch (WireGuardException e) {
            assertTrue(allowed.contains(e.reason()), () -> "reason " + e.reason());
            assertNotNull(e.getMessage());
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
