package io.wgmon.capture.pcap;

import io.wgmon.capture.CaptureClosedException;
import io.wgmon.capture.CaptureException;

/** What {@link PcapReader} reads from: a live {@link PcapHandle}, or a script in tests. */
interface Capture {

    /**
     * Blocks, costing no CPU, until frames may be waiting.
     *
     * @throws CaptureClosedException once the capture is or gets closed
     */
    void awaitFrames();

    /**
     * The next captured frame, or null when none is waiting. The frame's data is valid until
     * the next call.
     *
     * @throws CaptureClosedException once the capture is closed
     * @throws CaptureException       when libpcap reports a read error
     */
    CapturedFrame next();

    /**
     * Packets dropped since the capture started because the capture buffer was full
     * (pcap_stats ps_drop, an unsigned 32-bit counter that may wrap).
     */
    long drops();
}
