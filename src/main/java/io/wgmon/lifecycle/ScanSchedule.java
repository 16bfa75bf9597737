package io.wgmon.lifecycle;

import io.smallrye.mutiny.subscription.Cancellable;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * When the lifecycle watcher's scans run: one at once and one more {@link #SETTLE} later for a change,
 * and, after a link went away, more at growing intervals ({@link #GONE_FOLLOW_UPS}) until a scan no
 * longer reads that interface. Called by the {@code wgmon-links} thread and by timers.
 */
final class ScanSchedule {
    private static final Logger LOG = Logger.getLogger(ScanSchedule.class);
    static final Duration SETTLE = Duration.ofMillis(500);
    /** Delays between follow-up scans after a link went away, until a scan lists it absent: about 8 s in all. */
    static final List<Duration> GONE_FOLLOW_UPS = List.of(Duration.ofMillis(250), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

    private final Timers timers;
    private final Runnable requestScan;
    private final Predicate<String> scannedInterface;
    private Cancellable settle;
    /** Links that went away and that the last scan still read (or failed to read). */
    private final Set<String> gone = new HashSet<>();
    private Cancellable followUp;
    private int followUps;
    private boolean stopped;

    /**
     * @param requestScan      asks for a scan; must not block
     * @param scannedInterface whether the last scan read an interface of this name
     */
    ScanSchedule(Timers timers, Runnable requestScan, Predicate<String> scannedInterface) {
        this.timers = timers;
        this.requestScan = requestScan;
        this.scannedInterface = scannedInterface;
    }

    synchronized void scanNowAndAfterSettling() {
        if (stopped) {
            return;
        }
        requestScan.run();
        if (settle == null) {
            settle = timers.schedule(SETTLE, this::settled);
        }
    }

    private synchronized void settled() {
        settle = null;
        if (!stopped) {
            requestScan.run();
        }
    }

    /** Scans again after a link went away until a scan no longer reads that interface (bounded). */
    synchronized void followUntilAbsent(String name) {
        gone.add(name);
        followUps = 0;
        if (followUp == null && !stopped) {
            followUp = timers.schedule(GONE_FOLLOW_UPS.get(0), this::followedUp);
        }
    }

    private synchronized void followedUp() {
        followUp = null;
        gone.removeIf(name -> !scannedInterface.test(name));
        if (stopped || gone.isEmpty()) {
            gone.clear();
            return;
        }
        requestScan.run();
        if (++followUps < GONE_FOLLOW_UPS.size()) {
            followUp = timers.schedule(GONE_FOLLOW_UPS.get(followUps), this::followedUp);
        } else {
            LOG.warnf("Link %s went away but its daemon still seems to be there (its UAPI socket is still listed); "
                    + "the idle tick looks again", String.join(", ", gone));
            gone.clear();
        }
    }

    /** Cancels what is pending; no scan is asked for afterwards. */
    synchronized void close() {
        stopped = true;
        if (settle != null) {
            settle.cancel();
            settle = null;
        }
        if (followUp != null) {
            followUp.cancel();
            followUp = null;
        }
    }
}
