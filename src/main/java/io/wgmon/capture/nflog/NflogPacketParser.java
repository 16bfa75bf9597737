package io.wgmon.capture.nflog;

import io.wgmon.capture.EndpointTable;
import io.wgmon.capture.IpUdpParser;
import io.wgmon.capture.PacketParser;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.UdpFlow;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.netlink.AttributeDecoder;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Turns the payload of one NFLOG packet message (everything after the nlmsghdr: nfgenmsg and
 * attributes, values big-endian) into a {@link WireGuardPacket}, or rejects it with a reason. Reads in place
 * with one reused attribute walker and a table of the endpoints seen ({@link EndpointTable}): a packet from a
 * known endpoint allocates only the packet, its time and its flow (and an initiation's copy). On the reader
 * thread only.
 */
public final class NflogPacketParser implements PacketParser<ByteBuffer> {
    private static final int NFGENMSG_LENGTH = 4;
    private static final int ATTR_TIMESTAMP = 3;
    private static final int ATTR_IFINDEX_INDEV = 4;
    private static final int ATTR_PAYLOAD = 9;
    private static final int ATTR_PREFIX = 10;
    private static final int TIMESTAMP_LENGTH = 16;

    private final Clock clock;
    private final AttributeDecoder attributes = new AttributeDecoder();
    private final EndpointTable endpoints = new EndpointTable();

    public NflogPacketParser(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param messagePayload from its position to its limit; both are moved (to the packet's bytes)
     * @throws PacketRejectedException with a short reason when the message cannot be used
     */
    @Override
    public WireGuardPacket parse(ByteBuffer messagePayload) {
        int start = messagePayload.position();
        int end = messagePayload.limit();
        if (end - start < NFGENMSG_LENGTH) {
            throw new PacketRejectedException("truncated-nfgenmsg", (end - start) + " bytes, nfgenmsg needs 4");
        }
        attributes.reset(messagePayload, start + NFGENMSG_LENGTH, end);
        int payloadAt = -1;
        int payloadLength = 0;
        int timestampLength = -1;
        long seconds = 0;
        long micros = 0;
        int inputInterface = 0;
        boolean inputInterfaceSeen = false;
        String prefix = null;
        // the first of each type counts
        while (attributes.next()) {
            switch (attributes.type()) {
                case ATTR_PAYLOAD -> {
                    if (payloadAt < 0) {
                        payloadAt = attributes.valueOffset();
                        payloadLength = attributes.length();
                    }
                }
                case ATTR_TIMESTAMP -> {
                    if (timestampLength < 0) {
                        timestampLength = attributes.length();
                        if (timestampLength >= TIMESTAMP_LENGTH) {
                            seconds = attributes.be64At(0);
                            micros = attributes.be64At(8);
                        }
                    }
                }
                case ATTR_IFINDEX_INDEV -> {
                    if (!inputInterfaceSeen) {
                        inputInterfaceSeen = true;
                        inputInterface = attributes.be32();
                    }
                }
                case ATTR_PREFIX -> prefix = prefix == null ? attributes.string() : prefix;
                default -> {
                }
            }
        }
        if (attributes.error() != null) {
            throw new PacketRejectedException("malformed-attributes", attributes.error());
        }
        if (payloadAt < 0) {
            throw new PacketRejectedException("no-payload", "no NFULA_PAYLOAD; is the copy mode 'packet'?");
        }
        messagePayload.limit(payloadAt + payloadLength).position(payloadAt);
        UdpFlow flow = IpUdpParser.parse(messagePayload, endpoints);
        return new WireGuardPacket(time(timestampLength, seconds, micros), flow.sourceEndpoint(), flow.destination(),
                flow.destinationPort(), inputInterface, prefix == null ? "" : prefix, flow.type(), flow.sessionStart(),
                flow.initiation());
    }

    /** NFULA_TIMESTAMP is {be64 seconds, be64 microseconds}; absent (length -1) when the skb has no stamp. */
    private Instant time(int length, long seconds, long micros) {
        if (length < 0) {
            return clock.instant();
        }
        if (length < TIMESTAMP_LENGTH) {
            throw new PacketRejectedException("malformed-attributes", "NFULA_TIMESTAMP of " + length + " bytes");
        }
        try {
            return Instant.ofEpochSecond(seconds, Math.multiplyExact(micros, 1000L));
        } catch (DateTimeException | ArithmeticException e) {
            throw new PacketRejectedException("malformed-attributes", "NFULA_TIMESTAMP out of range");
        }
    }
}
