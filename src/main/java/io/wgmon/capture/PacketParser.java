package io.wgmon.capture;

/** Turns one item a {@link PacketReader} read into a packet. Pure apart from a clock. */
@FunctionalInterface
public interface PacketParser<F> {

    /** @throws PacketRejectedException with a short, metric-tag friendly reason when the item cannot be used */
    WireGuardPacket parse(F item);
}
