package io.wgmon.capture;

import java.time.Instant;

/**
 * The source's buffer overran (NFLOG: ENOBUFS; pcap: the capture's drop counter grew): some
 * packets were lost, so a full scan is due.
 */
public record PacketsLost(Instant time) implements PacketEvent {
}
