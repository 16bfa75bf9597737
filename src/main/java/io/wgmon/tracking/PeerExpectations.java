package io.wgmon.tracking;

/** Each peer's {@link Expectation}; {@link Expectation#NONE} when nothing is set. Any thread. */
@FunctionalInterface
public interface PeerExpectations {
    Expectation of(PeerKey key);

    static PeerExpectations none() {
        return key -> Expectation.NONE;
    }
}
