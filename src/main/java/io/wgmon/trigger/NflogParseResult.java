package io.wgmon.trigger;

import java.util.Optional;

/** What {@link NflogPacketParser} made of one NFLOG packet message. */
public sealed interface NflogParseResult {

    /** The packet, or empty when the message was rejected. */
    Optional<WireGuardPacket> packet();

    record Accepted(WireGuardPacket wireGuardPacket) implements NflogParseResult {
        @Override
        public Optional<WireGuardPacket> packet() {
            return Optional.of(wireGuardPacket);
        }
    }

    /**
     * @param reason short, stable, metric-tag friendly, e.g. "not-udp"
     * @param detail one line for a debug log
     */
    record Rejected(String reason, String detail) implements NflogParseResult {
        @Override
        public Optional<WireGuardPacket> packet() {
            return Optional.empty();
        }
    }
}
