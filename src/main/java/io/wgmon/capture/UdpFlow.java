package io.wgmon.capture;

import java.net.InetAddress;

/**
 * The addressing of one UDP datagram and the WireGuard message type it carries.
 *
 * @param sessionStart a transport data message with counter 0: the first packet under a new keypair
 */
public record UdpFlow(InetAddress source, int sourcePort, InetAddress destination, int destinationPort, MessageType type,
                      boolean sessionStart) {
}
