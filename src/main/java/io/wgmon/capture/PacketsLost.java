package io.wgmon.trigger;

import java.time.Instant;

/** The source's buffer overran (ENOBUFS): some packets were lost, so a full scan is due. */
public record PacketsLost(Instant time) implements PacketEvent {
}
