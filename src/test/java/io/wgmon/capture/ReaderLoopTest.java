package io.wgmon.capture;

import io.wgmon.timing.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the reader loops of both sources share; the loop itself is driven per source in nflog/ and pcap/. */
class ReaderLoopTest {
    @Test
    void readerPausesStartAtAHundredMillisecondsAndStayWithinFiveSeconds() {
        Backoff backoff = ReaderLoop.readerBackoff();
        for (int i = 0; i < 100; i++) {
            Duration first = backoff.delay(1);
            assertTrue(first.compareTo(Duration.ofMillis(50)) >= 0 && first.compareTo(Duration.ofMillis(100)) <= 0,
                    first.toString());
            Duration late = backoff.delay(1000);
            assertTrue(late.compareTo(Duration.ofMillis(2500)) >= 0 && late.compareTo(Duration.ofSeconds(5)) <= 0,
                    late.toString());
        }
    }
}
