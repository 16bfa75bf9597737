package io.wgmon.capture;

import java.net.InetAddress;

/** The addressing of one UDP datagram and the WireGuard message type it carries. */
public record UdpFlow(InetAddress source, int sourcePort, InetAddress destination, int destinationPort, MessageType type) {
}
