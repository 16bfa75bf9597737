package io.wgmon.trigger;

import io.wgmon.netlink.Errno;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkProtocolException;
import io.wgmon.netlink.NetlinkSocketClosedException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The body of the NFLOG reader thread: receive, parse, emit, until the socket is closed.
 * Nothing escapes it: overruns become {@link PacketsLost}, bad messages are counted and skipped,
 * other receive errors are counted, logged and followed by a growing pause so it never spins.
 */
final class NflogReaderLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(NflogReaderLoop.class);

    /** One blocking receive; throws {@link NetlinkSocketClosedException} once closed. */
    interface Receiver {
        List<NetlinkMessage> receive();
    }

    /** Waits for the given time; false when the source is stopping and the loop should end. */
    interface Pause {
        boolean await(Duration delay);
    }

    private final Receiver receiver;
    private final NflogPacketParser parser;
    private final Consumer<PacketEvent> emitter;
    private final PacketSourceMetrics metrics;
    private final Clock clock;
    private final Backoff backoff;
    private final Pause pause;
    private final String description;

    NflogReaderLoop(Receiver receiver, NflogPacketParser parser, Consumer<PacketEvent> emitter,
                    PacketSourceMetrics metrics, Clock clock, Backoff backoff, Pause pause, String description) {
        this.receiver = receiver;
        this.parser = parser;
        this.emitter = emitter;
        this.metrics = metrics;
        this.clock = clock;
        this.backoff = backoff;
        this.pause = pause;
        this.description = description;
    }

    @Override
    public void run() {
        while (true) {
            try {
                List<NetlinkMessage> messages = receiver.receive();
                backoff.reset();
                messages.forEach(this::handle);
            } catch (NetlinkSocketClosedException closed) {
                LOG.debugf("%s: socket closed, reader ends", description);
                return;
            } catch (NetlinkException e) {
                if (!onReceiveError(e)) {
                    return;
                }
            } catch (NetlinkProtocolException e) {
                metrics.malformed("malformed-datagram");
                LOG.debugf("%s: skipped a malformed datagram: %s", description, e.getMessage());
            } catch (RuntimeException e) {
                metrics.error();
                LOG.errorf(e, "%s: unexpected error in the reader", description);
                if (!pause.await(backoff.nextDelay())) {
                    return;
                }
            }
        }
    }

    /** @return false when the loop should end */
    private boolean onReceiveError(NetlinkException e) {
        switch (e.errno()) {
            case Errno.ENOBUFS -> {
                metrics.lost();
                LOG.warnf("%s: receive buffer overrun, some packets were lost (ENOBUFS)", description);
                emit(new PacketsLost(clock.instant()));
                return true;
            }
            case Errno.EINTR -> {
                return true;
            }
            default -> {
                metrics.error();
                Duration delay = backoff.nextDelay();
                LOG.warnf("%s: %s; retrying in %d ms", description, e.getMessage(), delay.toMillis());
                return pause.await(delay);
            }
        }
    }

    private void handle(NetlinkMessage message) {
        if (message.type() == NflogConfigMessages.PACKET_TYPE) {
            NflogParseResult result = parser.parse(message.payload());
            if (result instanceof NflogParseResult.Accepted accepted) {
                metrics.packet();
                emit(accepted.wireGuardPacket());
            } else if (result instanceof NflogParseResult.Rejected rejected) {
                metrics.malformed(rejected.reason());
                LOG.debugf("%s: skipped a packet (%s): %s", description, rejected.reason(), rejected.detail());
            }
        } else if (message.errno() != 0) {
            LOG.debugf("%s: kernel reported %s", description, Errno.describe(message.errno()));
        }
    }

    private void emit(PacketEvent event) {
        try {
            emitter.accept(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: a subscriber failed on %s", description, event);
        }
    }
}
