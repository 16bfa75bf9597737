package io.wgmon.capture.pcap;

import io.wgmon.capture.EndpointTable;
import io.wgmon.capture.IpUdpParser;
import io.wgmon.capture.PacketParser;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.UdpFlow;
import io.wgmon.capture.WireGuardPacket;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Turns a captured frame into a {@link WireGuardPacket}: link-layer header, then the shared
 * IP/UDP parsing. Pure apart from the clock, used only when the capture time is nonsense, and the table of endpoints
 * it has read ({@link EndpointTable}); on the reader thread only.
 */
final class PcapPacketParser implements PacketParser<CapturedFrame> {
    private static final long MICROS_PER_SECOND = 1_000_000;

    private final LinkLayer linkLayer;
    private final int captureInterfaceIndex;
    private final Clock clock;
    private final EndpointTable endpoints = new EndpointTable();

    /** @param captureInterfaceIndex index of the capture interface, 0 when unknown (e.g. "any") */
    PcapPacketParser(LinkLayer linkLayer, int captureInterfaceIndex, Clock clock) {
        this.linkLayer = linkLayer;
        this.captureInterfaceIndex = captureInterfaceIndex;
        this.clock = clock;
    }

    /** @throws PacketRejectedException with a short reason when the frame cannot be used */
    @Override
    public WireGuardPacket parse(CapturedFrame frame) {
        UdpFlow flow = IpUdpParser.parse(linkLayer.ipPacket(frame.data()), endpoints);
        int headerIndex = linkLayer.interfaceIndex(frame.data());
        return new WireGuardPacket(time(frame), flow.sourceEndpoint(), flow.destination(),
                flow.destinationPort(), headerIndex != 0 ? headerIndex : captureInterfaceIndex, "", flow.type(),
                flow.sessionStart(), flow.initiation());
    }

    private Instant time(CapturedFrame frame) {
        if (frame.microseconds() < 0 || frame.microseconds() >= MICROS_PER_SECOND) {
            return clock.instant();
        }
        try {
            return Instant.ofEpochSecond(frame.epochSeconds(), frame.microseconds() * 1000);
        } catch (DateTimeException e) {
            return clock.instant();
        }
    }
}
