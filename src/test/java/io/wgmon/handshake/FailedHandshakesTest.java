package io.wgmon.handshake;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailedHandshakesTest {
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private final FailedHandshakes failed = new FailedHandshakes(WINDOW);

    private static InetAddress address(int n) {
        try {
            return InetAddress.getByAddress(new byte[]{10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void initiation(int source, long seconds, Mac1Class mac1) {
        failed.initiation(address(source), 40000 + source % 1000, 51820, T0.plusSeconds(seconds), mac1);
    }

    @Test
    void anInitiationThatASessionFollowsIsNoFailure() {
        initiation(1, 0, Mac1Class.VALID);
        failed.completed(address(1));
        assertEquals(List.of(), failed.due(T0.plusSeconds(60)));
        assertEquals(0, failed.trackedSources());
        assertNull(failed.nextDue(), "nothing tracked, nothing to wake up for");
    }

    @Test
    void anInitiationWithNoSessionWithinTheGraceIsReportedOnceTheGraceHasPassed() {
        initiation(1, 0, Mac1Class.VALID);
        assertEquals(T0.plus(FailedHandshakes.COMPLETION_GRACE), failed.nextDue());
        assertEquals(List.of(), failed.due(T0.plusSeconds(4)), "still within the grace");
        List<HandshakeFailure> reports = failed.due(T0.plusSeconds(5));
        assertEquals(1, reports.size());
        HandshakeFailure report = reports.get(0);
        assertEquals(address(1), report.source());
        assertEquals(Mac1Class.VALID, report.mac1());
        assertEquals(1, report.attempts());
        assertEquals(51820, report.destinationPort());
        assertEquals(T0, report.firstAttempt());
    }

    @Test
    void retriesAreCountedAndSummarisedOncePerWindowThenAQuietSourceIsForgotten() {
        initiation(1, 0, Mac1Class.VALID);
        assertEquals(1, failed.due(T0.plusSeconds(5)).size());
        for (int s = 5; s <= 90; s += 5) {
            initiation(1, s, Mac1Class.VALID);
            assertEquals(List.of(), failed.due(T0.plusSeconds(s + 1)), "no report per attempt, at " + s);
        }
        Instant windowEnd = T0.plusSeconds(5).plus(WINDOW);
        assertEquals(windowEnd, failed.nextDue());
        List<HandshakeFailure> summary = failed.due(windowEnd);
        assertEquals(1, summary.size());
        assertEquals(18, summary.get(0).attempts());
        assertEquals(T0.plusSeconds(5), summary.get(0).firstAttempt());
        assertEquals(T0.plusSeconds(90), summary.get(0).lastAttempt());
        assertEquals(List.of(), failed.due(windowEnd.plus(WINDOW)), "a quiet window: nothing to say");
        assertEquals(0, failed.trackedSources());
    }

    @Test
    void aSourceThatKnowsTheKeyIsClassedValidEvenAmongGarbage() {
        initiation(1, 0, Mac1Class.INVALID);
        initiation(1, 1, Mac1Class.VALID);
        initiation(2, 0, Mac1Class.INVALID);
        initiation(3, 0, Mac1Class.UNCHECKED);
        List<HandshakeFailure> reports = failed.due(T0.plusSeconds(6));
        assertEquals(Mac1Class.VALID, reports.get(0).mac1());
        assertEquals(1, reports.get(0).validMac1());
        assertEquals(1, reports.get(0).invalidMac1());
        assertEquals(Mac1Class.INVALID, reports.get(1).mac1());
        assertEquals(Mac1Class.UNCHECKED, reports.get(2).mac1());
    }

    @Test
    void aSourceThatConnectsAfterBeingReportedIsForgotten() {
        initiation(1, 0, Mac1Class.VALID);
        failed.due(T0.plusSeconds(5));
        initiation(1, 30, Mac1Class.VALID);
        failed.completed(address(1));
        assertEquals(List.of(), failed.due(T0.plus(WINDOW).plusSeconds(10)));
        assertEquals(0, failed.trackedSources());
    }

    @Test
    void lostPacketsMayHaveHeldTheCompletionSoPendingSourcesAreNotJudged() {
        initiation(1, 0, Mac1Class.VALID);
        failed.packetsLost();
        assertEquals(List.of(), failed.due(T0.plusSeconds(10)));
    }

    @Test
    void aFloodOfSpoofedSourcesStaysBoundedAndIsFoldedNotReportedOneByOne() {
        for (int n = 0; n < 20_000; n++) {
            initiation(n, n / 4000, Mac1Class.INVALID);
            assertTrue(failed.trackedSources() <= FailedHandshakes.MAX_SOURCES);
        }
        assertEquals(20_000 - FailedHandshakes.MAX_SOURCES, failed.foldedSources(), "none reported yet: nothing evicted");
        List<HandshakeFailure> reports = failed.due(T0.plusSeconds(10));
        assertEquals(FailedHandshakes.REPORT_BURST, reports.size(), "the budget's burst, not one per source");
        assertEquals(20_000 - FailedHandshakes.MAX_SOURCES, reports.get(0).foldedSources());
        assertEquals(0, reports.get(1).foldedSources(), "each folded source is told once");
        assertEquals(20_000 - FailedHandshakes.REPORT_BURST, failed.foldedSources());
        assertEquals(FailedHandshakes.REPORT_BURST, failed.trackedSources(), "only the reported ones stay");

        // a real client with a removed key knocks after the flood: the table has room and the budget refilled
        initiation(1_000_000, 60, Mac1Class.VALID);
        List<HandshakeFailure> later = failed.due(T0.plusSeconds(65));
        assertEquals(1, later.size());
        assertEquals(Mac1Class.VALID, later.get(0).mac1());
    }

    @Test
    void aFullTableEvictsAReportedSourceToMakeRoom() {
        initiation(0, 0, Mac1Class.VALID);
        assertEquals(1, failed.due(T0.plusSeconds(5)).size());
        initiation(0, 6, Mac1Class.VALID);
        for (int n = 1; n < FailedHandshakes.MAX_SOURCES; n++) {
            initiation(n, 6, Mac1Class.INVALID);
        }
        assertEquals(FailedHandshakes.MAX_SOURCES, failed.trackedSources());
        initiation(99_999, 7, Mac1Class.VALID);
        assertEquals(FailedHandshakes.MAX_SOURCES, failed.trackedSources());
        assertEquals(1, failed.foldedSources(), "the evicted source had an attempt not yet summarised");
        List<HandshakeFailure> reports = new ArrayList<>(failed.due(T0.plusSeconds(12)));
        assertEquals(address(1), reports.get(0).source(), "the reported source was evicted, not the pending ones");
        assertEquals(1, reports.get(0).foldedSources());
    }

    @Test
    void theBudgetRefillsOverTime() {
        for (int n = 0; n < FailedHandshakes.REPORT_BURST + 1; n++) {
            initiation(n, 0, Mac1Class.INVALID);
        }
        assertEquals(FailedHandshakes.REPORT_BURST, failed.due(T0.plusSeconds(5)).size());
        initiation(500, 5, Mac1Class.INVALID);
        assertEquals(List.of(), failed.due(T0.plusSeconds(10)), "spent; refilled at one per interval");
        initiation(501, 20, Mac1Class.INVALID);
        assertEquals(1, failed.due(T0.plusSeconds(25)).size());
    }
}
