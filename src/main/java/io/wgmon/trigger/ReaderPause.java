package io.wgmon.trigger;

import java.time.Duration;

/** Waits for the given time; false when the source is stopping and the reader loop should end. */
interface ReaderPause {
    boolean await(Duration delay);
}
