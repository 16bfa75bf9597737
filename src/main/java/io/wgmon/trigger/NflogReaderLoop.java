package io.wgmon.trigger;

import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The body of the NFLOG reader thread: receive, parse, emit, until the socket is closed.
 * Nothing escapes it: overruns become {@link PacketsLost}, bad messages are counted and skipped,
 * other receive errors are counted, logged and followed by a growing pause so it never spins.
 */
final class NflogReaderLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(NflogReaderLoop.class);

    /** One blocking receive; throws a {@link NetlinkException} of reason CLOSED once closed. */
    interface Receiver {
        List<NetlinkMessage> receive();
    }

    private final Receiver receiver;
    private final NflogPacketParser parser;
    private final PacketEmitter emitter;
    private final PacketSourceMetrics metrics;
    private final Clock clock;
    private final ReaderRecovery recovery;
    private final String description;

    NflogReaderLoop(Receiver receiver, NflogPacketParser parser, Consumer<PacketEvent> emitter,
                    PacketSourceMetrics metrics, Clock clock, Backoff backoff, ReaderPause pause, String description) {
        this.receiver = receiver;
        this.parser = parser;
        this.emitter = new PacketEmitter(emitter, LOG, description);
        this.metrics = metrics;
        this.clock = clock;
        this.recovery = new ReaderRecovery(metrics, backoff, pause, LOG, description);
        this.description = description;
    }

    @Override
    public void run() {
        while (true) {
            try {
                List<NetlinkMessage> messages = receiver.receive();
                recovery.succeeded();
                messages.forEach(this::handle);
            } catch (NetlinkException e) {
                if (!onReceiveError(e)) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!recovery.retryAfterUnexpected(e)) {
                    return;
                }
            }
        }
    }

    /** @return false when the loop should end */
    private boolean onReceiveError(NetlinkException e) {
        if (e.reason() == NetlinkException.Reason.CLOSED) {
            LOG.debugf("%s: socket closed, reader ends", description);
            return false;
        }
        if (e.reason() == NetlinkException.Reason.MALFORMED) {
            metrics.malformed("malformed-datagram");
            LOG.debugf("%s: skipped a malformed datagram: %s", description, e.getMessage());
            return true;
        }
        switch (e.errno()) {
            case ENOBUFS -> {
                metrics.lost();
                LOG.warnf("%s: receive buffer overrun, some packets were lost (ENOBUFS)", description);
                emitter.emit(new PacketsLost(clock.instant()));
                return true;
            }
            case EINTR -> {
                return true;
            }
            default -> {
                return recovery.retryAfter(e.getMessage());
            }
        }
    }

    private void handle(NetlinkMessage message) {
        if (message.type() == NflogConfigMessages.PACKET_TYPE) {
            NflogParseResult result = parser.parse(message.payload());
            if (result instanceof NflogParseResult.Accepted accepted) {
                metrics.packet();
                emitter.emit(accepted.wireGuardPacket());
            } else if (result instanceof NflogParseResult.Rejected rejected) {
                metrics.malformed(rejected.reason());
                LOG.debugf("%s: skipped a packet (%s): %s", description, rejected.reason(), rejected.detail());
            }
        } else if (message.errno() != 0) {
            LOG.debugf("%s: kernel reported %s", description, NetlinkException.describe(message.errno()));
        }
    }
}
