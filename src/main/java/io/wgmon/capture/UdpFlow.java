package io.wgmon.capture;

import java.net.InetAddress;

/**
 * The addressing of one UDP datagram and the WireGuard message type it carries.
 *
 * @param sessionStart a transport data message with counter 0: the first packet under a new keypair
 * @param initiation   for a complete handshake initiation (148 bytes, all captured) the part its mac1 covers
 *                     and the mac1; null for every other packet
 */
public record UdpFlow(InetAddress source, int sourcePort, InetAddress destination, int destinationPort, MessageType type,
                      boolean sessionStart, InitiationBytes initiation) {
}
