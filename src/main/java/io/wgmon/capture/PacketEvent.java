package io.wgmon.trigger;

/** Something a packet source saw: a WireGuard packet, or news that packets were lost. */
public sealed interface PacketEvent permits WireGuardPacket, PacketsLost {
    java.time.Instant time();
}
