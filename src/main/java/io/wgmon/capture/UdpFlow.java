package io.wgmon.trigger;

import java.net.InetAddress;

/** The addressing of one UDP datagram and the WireGuard message type it carries. */
record UdpFlow(InetAddress source, int sourcePort, InetAddress destination, int destinationPort, MessageType type) {
}
