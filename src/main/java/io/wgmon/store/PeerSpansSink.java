package io.wgmon.store;

import java.io.IOException;

/** Takes a timeline one peer at a time, in key order, as it is read: the answer is never held whole. */
@FunctionalInterface
public interface PeerSpansSink {
    void accept(PeerSpans peer) throws IOException;
}
