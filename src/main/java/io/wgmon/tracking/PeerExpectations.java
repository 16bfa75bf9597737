package io.wgmon.tracking;

/** Each peer's {@link Expectation}; {@link Expectation#NONE} when nothing is set. Any thread. */
@FunctionalInterface
public interface PeerExpectations {
    Expectation of(PeerKey key);

    /** Whether any peer may be always-on now; false lets a scan skip the per-peer pass. */
    default boolean anyAlwaysOn() {
        return true;
    }

    static PeerExpectations none() {
        return key -> Expectation.NONE;
    }
}
