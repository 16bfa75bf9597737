package io.wgmon.capture;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The addressing of one UDP datagram and the WireGuard message type it carries.
 *
 * @param sourceEndpoint      the sender's address and port, shared by every packet from it ({@link EndpointTable})
 * @param destinationEndpoint the receiver's, likewise
 * @param sessionStart        a transport data message with counter 0: the first packet under a new keypair
 * @param initiation          for a complete handshake initiation (148 bytes, all captured) the part its mac1 covers
 *                            and the mac1; null for every other packet
 */
public record UdpFlow(InetSocketAddress sourceEndpoint, InetSocketAddress destinationEndpoint, MessageType type,
                      boolean sessionStart, InitiationBytes initiation) {

    public InetAddress source() {
        return sourceEndpoint.getAddress();
    }

    public int sourcePort() {
        return sourceEndpoint.getPort();
    }

    public InetAddress destination() {
        return destinationEndpoint.getAddress();
    }

    public int destinationPort() {
        return destinationEndpoint.getPort();
    }
}
