package io.wgmon.capture.nflog;

import io.wgmon.capture.IpUdpParser;
import io.wgmon.capture.PacketParser;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.UdpFlow;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.netlink.NetlinkAttribute;
import io.wgmon.netlink.NetlinkAttributes;
import io.wgmon.netlink.NetlinkProtocolException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

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
        try {
            NetlinkAttributes attributes = NetlinkAttributes.parse(body.position(NFGENMSG_LENGTH));
            NetlinkAttribute payload = attributes.first(ATTR_PAYLOAD).orElseThrow(
                    () -> new PacketRejectedException("no-payload", "no NFULA_PAYLOAD; is the copy mode 'packet'?"));
            UdpFlow flow = IpUdpParser.parse(payload.value());
            return new WireGuardPacket(
                    time(attributes.first(ATTR_TIMESTAMP)),
                    flow.source(), flow.sourcePort(), flow.destination(), flow.destinationPort(),
                    attributes.first(ATTR_IFINDEX_INDEV).map(index -> (int) index.be32()).orElse(0),
                    attributes.first(ATTR_PREFIX).map(NetlinkAttribute::string).orElse(""),
                    flow.type());
        } catch (NetlinkProtocolException e) {
            throw new PacketRejectedException("malformed-attributes", e.getMessage());
        }
    }

    /** NFULA_TIMESTAMP is {be64 seconds, be64 microseconds}; absent when the skb has no stamp. */
    private Instant time(Optional<NetlinkAttribute> timestamp) {
        if (timestamp.isEmpty()) {
            return clock.instant();
        }
        ByteBuffer value = timestamp.get().value().order(ByteOrder.BIG_ENDIAN);
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
