package io.wgmon.capture;

import java.time.Instant;

/**
 * When the kernel last saw a packet from an endpoint ({@code lastIn}) and last sent it data ({@code lastOut});
 * either is null when the kernel keeps no time for it.
 */
public record EndpointPackets(Instant lastIn, Instant lastOut) {
}
