package io.wgmon.capture;

import java.time.Instant;

/** Something a packet source saw: a WireGuard packet, or news that packets were lost. */
public sealed interface PacketEvent permits WireGuardPacket, PacketsLost {
    Instant time();
}
