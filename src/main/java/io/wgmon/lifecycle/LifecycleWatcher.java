package io.wgmon.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.os.LibC;
import io.wgmon.os.OsException;
import io.wgmon.os.ReaderThread;
import io.wgmon.os.ReadinessWaiter;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Interface lifecycle as events (docs/architecture.md#tracking): one thread, {@code wgmon-links}, waits in
 * poll(2) on an rtnetlink socket subscribed to {@code RTNLGRP_LINK} and an inotify descriptor on
 * the UAPI directory (plus the eventfd that wakes it to stop), so it costs nothing at rest. A
 * WireGuard link (kind "wireguard"), a tun link (wireguard-go's) or a link the last scan read that
 * appears or goes away, and a UAPI socket file that comes or goes, ask for a scan at once and for
 * one more {@link #SETTLE} later. A link that went away is followed further: a dying daemon's UAPI
 * socket may accept and not answer for a while after its link went, so the scans then fail and keep
 * the device; scans are asked for again at growing intervals ({@link #GONE_FOLLOW_UPS}) until one
 * lists the device absent. The tracker then reports the peers of a vanished device
 * {@code interface-down}.
 *
 * <p>Either descriptor may fail to open (no permission, no inotify): that is one WARN, and wgmon
 * goes on with what it has, the idle tick at least. Malformed messages are counted and skipped.
 *
 * <p>This class opens the descriptors and runs the poll loop; {@link LinkNotifications} reads the
 * rtnetlink socket, {@link UapiDirectoryWatch} the inotify descriptor, and {@link ScanSchedule} asks for
 * the scans.
 */
public final class LifecycleWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LifecycleWatcher.class);
    static final Duration SETTLE = ScanSchedule.SETTLE;
    static final List<Duration> GONE_FOLLOW_UPS = ScanSchedule.GONE_FOLLOW_UPS;

    private final boolean watchLinks;
    private final Optional<Path> uapiDir;
    private final Predicate<String> watchedInterface;
    private final Timers timers;
    private final Counter linkEvents;
    private final Counter uapiEvents;
    private final Counter linkMalformed;
    private final Counter errors;
    private final ReaderThread thread = new ReaderThread("wgmon-links", LOG, "interface lifecycle watcher");
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random());

    private volatile ScanSchedule schedule;
    private volatile ReadinessWaiter waiter;
    private LinkNotifications links;
    private UapiDirectoryWatch uapi;
    private volatile boolean stopped;

    /**
     * @param watchLinks       whether to subscribe to link notifications
     * @param uapiDir          the UAPI directory to watch, empty when no userspace backend is used
     * @param watchedInterface whether an interface of this name is watched at all
     *                         ({@code wgmon.wireguard.interfaces}): the UAPI directory is shared by every
     *                         network namespace of the host, so other namespaces' daemons come and go in it
     */
    public LifecycleWatcher(boolean watchLinks, Optional<Path> uapiDir, Predicate<String> watchedInterface,
                            Timers timers, MeterRegistry registry) {
        this.watchLinks = watchLinks;
        this.uapiDir = uapiDir;
        this.watchedInterface = watchedInterface;
        this.timers = timers;
        this.linkEvents = Counter.builder("wgmon.lifecycle.events").tag("source", "link")
                .description("Interface lifecycle notifications that asked for a scan").register(registry);
        this.uapiEvents = Counter.builder("wgmon.lifecycle.events").tag("source", "uapi")
                .description("Interface lifecycle notifications that asked for a scan").register(registry);
        this.linkMalformed = Counter.builder("wgmon.lifecycle.malformed")
                .description("Lifecycle notifications that could not be read (skipped)").register(registry);
        this.errors = Counter.builder("wgmon.lifecycle.errors")
                .description("Failed reads of the lifecycle watcher (followed by a pause)").register(registry);
    }

    /**
     * Opens the descriptors in the calling thread's network namespace and starts the thread. Never
     * throws for a descriptor that cannot be opened: that is a WARN.
     *
     * @param requestScan      asks for a scan; must not block
     * @param scannedInterface whether the last scan read an interface of this name
     */
    public synchronized void start(Runnable requestScan, Predicate<String> scannedInterface) {
        schedule = new ScanSchedule(timers, requestScan, scannedInterface);
        LibC libc;
        try {
            libc = LibC.load();
            waiter = ReadinessWaiter.open(libc);
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf("Interface lifecycle events are off (%s); interfaces that go away are noticed by scans only", e.getMessage());
            return;
        }
        if (watchLinks) {
            NetlinkSocket socket = LinkNotifications.openSocket(libc);
            if (socket != null) {
                links = new LinkNotifications(socket, watchedInterface, scannedInterface, this::followUntilAbsent,
                        linkEvents, linkMalformed);
            }
        }
        uapiDir.ifPresent(dir -> uapi = openUapi(libc, dir));
        if (links == null && uapi == null) {
            waiter.close(() -> { });
            return;
        }
        LOG.infof("Watching interface lifecycle: %s", describe());
        thread.start(this::run);
    }

    private UapiDirectoryWatch openUapi(LibC libc, Path dir) {
        try {
            return UapiDirectoryWatch.open(libc, dir, watchedInterface);
        } catch (OsException | LinkageError e) {
            LOG.warnf("Cannot watch the UAPI directory %s (inotify: %s); a userspace WireGuard daemon that stops "
                    + "is noticed by scans only", dir, e.getMessage());
            return null;
        }
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        if (links != null) {
            parts.add("rtnetlink link notifications");
        }
        if (uapi != null) {
            parts.add("inotify on " + uapi.directory() + (uapi.watchingDirectory() ? "" : " (not there yet: watching its parent)"));
        }
        return String.join(" and ", parts);
    }

    /** Whether the watcher thread runs (false when neither descriptor could be opened). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    private void run() {
        int failures = 0;
        while (!stopped) {
            try {
                Boolean changed = waiter.whileOpen(this::round, () -> new IllegalStateException("closed"));
                failures = 0;
                if (changed == null) {
                    return; // closing
                }
                if (changed) {
                    schedule.scanNowAndAfterSettling();
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                errors.increment();
                LOG.warnf("Interface lifecycle watcher: %s; going on after a pause", e.getMessage());
                if (!thread.await(backoff.delay(++failures))) {
                    return;
                }
            }
        }
    }

    /** One wait and what it brought: null when closing, else whether a scan is due. */
    private Boolean round() {
        int[] fds = links != null && uapi != null ? new int[] {links.descriptor(), uapi.descriptor()}
                : new int[] {links != null ? links.descriptor() : uapi.descriptor()};
        int ready = waiter.awaitAnyReadable(fds);
        if (ready < 0) {
            return null;
        }
        boolean changed = false;
        if (links != null && (ready & 1) != 0) {
            changed = links.read();
        }
        int uapiBit = links != null ? 2 : 1;
        if (uapi != null && (ready & uapiBit) != 0) {
            long malformedBefore = uapi.malformed();
            if (uapi.readChanges()) {
                uapiEvents.increment();
                LOG.debugf("UAPI directory %s changed: scanning", uapi.directory());
                changed = true;
            }
            linkMalformed.increment(uapi.malformed() - malformedBefore);
        }
        return changed;
    }

    /** Scans again after a link went away until a scan no longer reads that interface (bounded). */
    void followUntilAbsent(String name) {
        schedule.followUntilAbsent(name);
    }

    /** Stops the thread and closes both descriptors; safe to call more than once. */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
            if (schedule != null) {
                schedule.close();
            }
        }
        thread.signalStop();
        if (waiter != null) {
            waiter.close(() -> {
                if (links != null) {
                    links.close();
                }
                if (uapi != null) {
                    uapi.close();
                }
            });
        }
        thread.join();
    }
}
