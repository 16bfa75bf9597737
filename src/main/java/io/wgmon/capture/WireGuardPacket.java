package io.wgmon.capture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One packet to the WireGuard port as the packet source saw it.
 *
 * @param sourceEndpoint the sender's address and port; a parser gives every packet from one endpoint the same
 *                       instance ({@link EndpointTable}), so those who key by it allocate nothing
 * @param interfaceIndex inbound interface index, 0 when unknown
 * @param prefix         the log prefix set by the firewall rule, empty when none
 * @param sessionStart   a transport data message with counter 0, the first under a new keypair: the
 *                       packet that completes a handshake for the responder (docs/architecture.md#capture)
 * @param initiation     for a complete handshake initiation, the bytes its mac1 covers and the mac1
 *                       (docs/architecture.md#failed-handshakes); null for every other packet
 */
public record WireGuardPacket(
        Instant time,
        InetSocketAddress sourceEndpoint,
        InetAddress destination,
        int destinationPort,
        int interfaceIndex,
        String prefix,
        MessageType type,
        boolean sessionStart,
        InitiationBytes initiation) implements PacketEvent {

    public InetAddress source() {
        return sourceEndpoint.getAddress();
    }

    public int sourcePort() {
        return sourceEndpoint.getPort();
    }

    /** A transport data message that is not the first of its session: what a handshake-only rule filters out. */
    public boolean ordinaryData() {
        return type == MessageType.TRANSPORT_DATA && !sessionStart;
    }
}
