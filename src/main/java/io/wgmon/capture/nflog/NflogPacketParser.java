package io.wgmon.capture.nflog;

import io.wgmon.capture.IpUdpParser;
import io.wgmon.capture.PacketParser;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.UdpFlow;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.netlink.AttributeDecoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Turns the payload of one NFLOG packet message (everything after the nlmsghdr: nfgenmsg and
 * attributes, values big-endian) into a {@link WireGuardPacket}, or rejects it with a reason.
 */
public final class NflogPacketParser implements PacketParser<ByteBuffer> {
    private static final int NFGENMSG_LENGTH = 4;
    private static final int ATTR_TIMESTAMP = 3;
    private static final int ATTR_IFINDEX_INDEV = 4;
    private static final int ATTR_PAYLOAD = 9;
    private static final int ATTR_PREFIX = 10;

    private final Clock clock;

    public NflogPacketParser(Clock clock) {
        this.clock = clock;
    }

    /** @throws PacketRejectedException with a short reason when the message cannot be used */
    @Override
    public WireGuardPacket parse(ByteBuffer messagePayload) {
        ByteBuffer body = messagePayload.slice();
        if (body.remaining() < NFGENMSG_LENGTH) {
            throw new PacketRejectedException("truncated-nfgenmsg", body.remaining() + " bytes, nfgenmsg needs 4");
        }
        AttributeDecoder attributes = AttributeDecoder.of(body.position(NFGENMSG_LENGTH));
        ByteBuffer payload = null;
        ByteBuffer timestamp = null;
        Integer inputInterface = null;
        String prefix = null;
        // the first of each type counts
        while (attributes.next()) {
            switch (attributes.type()) {
                case ATTR_PAYLOAD -> payload = payload == null ? attributes.value() : payload;
                case ATTR_TIMESTAMP -> timestamp = timestamp == null ? attributes.value() : timestamp;
                case ATTR_IFINDEX_INDEV -> inputInterface = inputInterface == null ? attributes.be32() : inputInterface;
                case ATTR_PREFIX -> prefix = prefix == null ? attributes.string() : prefix;
                default -> {
                }
            }
        }
        if (attributes.error() != null) {
            throw new PacketRejectedException("malformed-attributes", attributes.error());
        }
        if (payload == null) {
            throw new PacketRejectedException("no-payload", "no NFULA_PAYLOAD; is the copy mode 'packet'?");
        }
        UdpFlow flow = IpUdpParser.parse(payload);
        return new WireGuardPacket(
                time(timestamp),
                flow.source(), flow.sourcePort(), flow.destination(), flow.destinationPort(),
                inputInterface == null ? 0 : inputInterface,
                prefix == null ? "" : prefix,
                flow.type(), flow.sessionStart(), flow.initiation());
    }

    /** NFULA_TIMESTAMP is {be64 seconds, be64 microseconds}; absent when the skb has no stamp. */
    private Instant time(ByteBuffer timestamp) {
        if (timestamp == null) {
            return clock.instant();
        }
        ByteBuffer value = timestamp.order(ByteOrder.BIG_ENDIAN);
        if (value.remaining() < 16) {
            throw new PacketRejectedException("malformed-attributes", "NFULA_TIMESTAMP of " + value.remaining() + " bytes");
        }
        try {
            return Instant.ofEpochSecond(value.getLong(0), Math.multiplyExact(value.getLong(8), 1000L));
        } catch (DateTimeException | ArithmeticException e) {
            throw new PacketRejectedException("malformed-attributes", "NFULA_TIMESTAMP out of range");
        }
    }
}
