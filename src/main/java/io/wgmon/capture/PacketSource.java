package io.wgmon.capture;

import io.smallrye.mutiny.Multi;

/**
 * Where packet events come from: NFLOG or a pcap capture. {@link #start()} binds or opens the
 * socket and fails with a {@link PacketSourceException} whose message says what is wrong;
 * after that, events are emitted on {@link #packets()} from a dedicated reader thread that runs
 * the shared {@link ReaderLoop} (docs/architecture.md#capture), so subscribers run on that thread.
 */
public interface PacketSource extends AutoCloseable {

    /** Binds the source; throws {@link PacketSourceException} with a clear, one-line reason. */
    void start();

    /** Hot stream of events; subscribe before {@link #start()} to see every packet. */
    Multi<PacketEvent> packets();

    /** True while the socket is bound and the reader thread is alive. */
    boolean isReady();

    /** Human description for logs and readiness, e.g. "nflog group 1". */
    String describe();

    @Override
    void close();
}
