package io.wgmon.capture.pcap;

import java.nio.ByteBuffer;

/**
 * One frame as libpcap captured it (at most snaplen bytes) with its capture time.
 *
 * @param data a view of a buffer the capture reuses: valid until the next frame is read
 */
record CapturedFrame(long epochSeconds, long microseconds, ByteBuffer data) {
}
