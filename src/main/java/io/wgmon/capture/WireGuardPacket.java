package io.wgmon.capture;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One packet to the WireGuard port as the packet source saw it.
 *
 * @param interfaceIndex inbound interface index, 0 when unknown
 * @param prefix         the log prefix set by the firewall rule, empty when none
 */
public record WireGuardPacket(
        Instant time,
        InetAddress source,
        int sourcePort,
        InetAddress destination,
        int destinationPort,
        int interfaceIndex,
        String prefix,
        MessageType type) implements PacketEvent {
}
