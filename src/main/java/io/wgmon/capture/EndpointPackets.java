package io.wgmon.capture;

import java.time.Instant;

/**
 * When the kernel last saw a packet from an endpoint and last sent one to it, as the rules' per-endpoint sets
 * record them (docs/architecture.md#packet-times).
 *
 * @param lastIn  the last inbound packet from the endpoint to the WireGuard port; null when the set has no element
 * @param lastOut the last message (not a cookie reply) from the WireGuard port to the endpoint; null when none
 */
public record EndpointPackets(Instant lastIn, Instant lastOut) {
}
