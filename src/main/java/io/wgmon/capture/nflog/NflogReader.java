package io.wgmon.capture.nflog;

import io.wgmon.capture.CaptureClosedException;
import io.wgmon.capture.CaptureException;
import io.wgmon.capture.PacketReader;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.os.Errno;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The NFLOG way of reading for the shared reader loop: one blocking receive of a datagram, whose
 * packet messages go to the parser. The socket's errors become the loop's: ENOBUFS (an overrun)
 * a loss, EINTR a wake-up that brought nothing, a malformed datagram a rejected read, any
 * other errno a failed read.
 */
final class NflogReader implements PacketReader<ByteBuffer> {
    private static final Logger LOG = Logger.getLogger(NflogReader.class);

    /** One blocking receive; throws a {@link NetlinkException} of reason CLOSED once closed. */
    @FunctionalInterface
    interface Receiver {
        List<NetlinkMessage> receive();
    }

    private final Receiver receiver;
    private final String description;
    private boolean overrun;

    NflogReader(Receiver receiver, String description) {
        this.receiver = receiver;
        this.description = description;
    }

    /** Nothing to do: the receive itself blocks until a datagram arrives. */
    @Override
    public void awaitReadable() {
    }

    /** Hands on the payload (nfgenmsg and attributes) of each packet message in one datagram. */
    @Override
    public int readWaiting(Consumer<ByteBuffer> items) {
        List<NetlinkMessage> messages;
        try {
            messages = receiver.receive();
        } catch (NetlinkException e) {
            return afterReceiveError(e);
        }
        for (NetlinkMessage message : messages) {
            if (message.type() == NflogConfigMessages.PACKET_TYPE) {
                items.accept(message.payload());
            } else if (message.errno() != 0) {
                LOG.debugf("%s: kernel reported %s", description, Errno.describe(message.errno()));
            }
        }
        return 1;
    }

    @Override
    public Optional<String> lossesSinceLastLook() {
        if (!overrun) {
            return Optional.empty();
        }
        overrun = false;
        return Optional.of("receive buffer overrun, some packets were lost (ENOBUFS)");
    }

    private int afterReceiveError(NetlinkException e) {
        switch (e.reason()) {
            case CLOSED -> throw new CaptureClosedException();
            case MALFORMED -> throw new PacketRejectedException("malformed-datagram", e.getMessage());
            default -> {
            }
        }
        if (e.errno() == Errno.ENOBUFS) {
            overrun = true;
        } else if (e.errno() != Errno.EINTR) {
            // EINTR: a signal cut the receive short; just receive again
            throw new CaptureException(e.getMessage());
        }
        return 0;
    }
}
