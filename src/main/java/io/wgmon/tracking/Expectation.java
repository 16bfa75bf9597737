package io.wgmon.tracking;

import java.time.Duration;

/**
 * What an operator expects of one peer (docs/architecture.md#expectations).
 *
 * @param alwaysOn a handshake at least every {@code grace}: else {@code peer.down}, and {@code peer.up} when it returns
 * @param grace    for an always-on peer; zero otherwise
 * @param roaming  its disconnects are not sent to chat receivers (a phone that sleeps)
 */
public record Expectation(boolean alwaysOn, Duration grace, boolean roaming) {
    public static final Expectation NONE = new Expectation(false, Duration.ZERO, false);

    /** Both marks: what one source says, then what another adds (the file's grace wins). */
    Expectation with(Expectation other) {
        boolean on = alwaysOn || other.alwaysOn;
        return new Expectation(on, alwaysOn ? grace : other.grace, roaming || other.roaming);
    }
}
