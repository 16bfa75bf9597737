package io.wgmon.capture.nflog;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.capture.PacketSourceException;
import io.wgmon.capture.PacketSourceMetrics;
import io.wgmon.capture.ReaderLoop;
import io.wgmon.os.ReaderThread;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.netlink.NetlinkSocket;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.time.Clock;

/**
 * Packets logged by the firewall to one NFLOG group ({@code nft ... log group N}), read from a
 * NETLINK_NETFILTER socket by a dedicated daemon thread and emitted on a hot stream.
 */
public final class NflogPacketSource implements PacketSource {
    private static final Logger LOG = Logger.getLogger(NflogPacketSource.class);

    /**
     * Bytes copied per packet, from the IP header on: IPv6 (40) with a few extension headers,
     * UDP (8) and the WireGuard type byte fit easily; a whole 1420-byte datagram would cost
     * five times the buffer space per packet for nothing.
     */
    static final int COPY_RANGE = 256;
    public static final int DEFAULT_RECEIVE_BUFFER_BYTES = 1 << 20;

    private final int group;
    private final Clock clock;
    private final int receiveBufferBytes;
    private final PacketSourceMetrics metrics;
    private final BroadcastProcessor<PacketEvent> events = BroadcastProcessor.create();
    private final ReaderThread reader;
    private NetlinkSocket socket;
    private boolean closed;

    /** @param receiveBufferBytes the socket's receive buffer: {@link #DEFAULT_RECEIVE_BUFFER_BYTES} */
    public NflogPacketSource(int group, MeterRegistry registry, Clock clock, int receiveBufferBytes) {
        if (group < 0 || group > 0xffff) {
            throw new IllegalArgumentException("NFLOG group must be 0..65535, got " + group);
        }
        this.group = group;
        this.clock = clock;
        this.receiveBufferBytes = receiveBufferBytes;
        this.metrics = new PacketSourceMetrics(registry, "nflog");
        this.reader = new ReaderThread("wgmon-nflog-reader", LOG, describe());
    }

    @Override
    public synchronized void start() {
        if (closed || socket != null) {
            throw new IllegalStateException(describe() + " was already " + (closed ? "closed" : "started"));
        }
        NetlinkSocket opened = open();
        try {
            configure(opened);
        } catch (PacketSourceException e) {
            opened.close();
            throw e;
        }
        socket = opened;
        reader.start(readerLoop(opened));
        LOG.infof("%s: bound, copying %d bytes per packet", describe(), COPY_RANGE);
    }

    @Override
    public Multi<PacketEvent> packets() {
        return events;
    }

    @Override
    public synchronized boolean isReady() {
        return !closed && socket != null && reader.isAlive();
    }

    @Override
    public String describe() {
        return "nflog group " + group;
    }

    /** Unbinds (best effort), wakes and joins the reader, closes the socket. Idempotent. */
    @Override
    public void close() {
        NetlinkSocket toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = socket;
        }
        reader.signalStop();
        if (toClose != null) {
            unbind(toClose);
            toClose.close();
        }
        reader.join();
        events.onComplete();
    }

    private NetlinkSocket open() {
        try {
            return NetlinkSocket.open(Netlink.NETLINK_NETFILTER);
        } catch (NetlinkException e) {
            throw NflogStartErrors.of(group, "opening a NETLINK_NETFILTER socket", e, NetAdminCapability.heldByCurrentThread());
        }
    }

    private void configure(NetlinkSocket opened) {
        String step = "bind";
        try {
            opened.bind(0);
            step = "setting the receive buffer";
            opened.setReceiveBufferSize(receiveBufferBytes);
            step = "binding the group";
            opened.request(NflogConfigMessages.CONFIG_TYPE, 0, NflogConfigMessages.bind(group));
            step = "setting copy mode";
            opened.request(NflogConfigMessages.CONFIG_TYPE, 0, NflogConfigMessages.copyPacket(group, COPY_RANGE));
            // one packet per message, no batching timer: each packet is delivered at once
            step = "setting the queue threshold";
            opened.request(NflogConfigMessages.CONFIG_TYPE, 0, NflogConfigMessages.queueThreshold(group, 1));
            step = "setting the flush timeout";
            opened.request(NflogConfigMessages.CONFIG_TYPE, 0, NflogConfigMessages.flushTimeout(group, 0));
        } catch (NetlinkException e) {
            throw NflogStartErrors.of(group, step, e, NetAdminCapability.heldByCurrentThread());
        }
    }

    private ReaderLoop<ByteBuffer> readerLoop(NetlinkSocket opened) {
        return new ReaderLoop<>(new NflogReader(opened::receive, describe()), new NflogPacketParser(clock),
                events::onNext, metrics, clock, ReaderLoop.readerBackoff(),
                reader::await, describe());
    }

    private void unbind(NetlinkSocket bound) {
        try {
            // without ACK: the reader is going away and nobody would read the answer
            bound.send(NetlinkMessageCodec.encode(NflogConfigMessages.CONFIG_TYPE, Netlink.NLM_F_REQUEST,
                    bound.nextSequence(), 0, NflogConfigMessages.unbind(group)));
        } catch (RuntimeException e) {
            LOG.debugf("%s: unbind failed, closing the socket unbinds anyway: %s", describe(), e.getMessage());
        }
    }
}
