package io.wgmon.lifecycle;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Shell;
import io.wgmon.timing.ManualTimers;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watcher against the real kernel: inotify on a temporary UAPI directory, and rtnetlink link
 * notifications in a fresh network namespace where tun links come and go.
 */
class LifecycleWatcherLiveTest {
    @TempDir
    Path dir;

    private final BlockingQueue<Instant> scans = new LinkedBlockingQueue<>();
    private final ManualTimers timers = new ManualTimers();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LifecycleWatcher watcher;
    private String namespace;

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        if (namespace != null) {
            Shell.quietly(List.of("ip", "netns", "del", namespace));
        }
    }

    @Test
    void aSocketFileThatComesOrGoesAsksForAScanAndOtherFilesDoNot() throws Exception {
        Path uapi = dir.resolve("wireguard");
        Files.createDirectory(uapi);
        watcher = new LifecycleWatcher(false, Optional.of(uapi), name -> true, timers, registry);
        watcher.start(() -> scans.add(Instant.now()), name -> false);
        assertTrue(watcher.isRunning());

        // a file that is no socket is no daemon: read, it asks for nothing (the count at the end says so)
        Files.writeString(uapi.resolve("notes.txt"), "not a socket");
        InotifyBacklog.awaitRead(Duration.ofSeconds(2));

        try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            daemon.bind(UnixDomainSocketAddress.of(uapi.resolve("wg0.sock")));
            assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan when a daemon's socket appeared");
        }
        scans.clear();
        Files.delete(uapi.resolve("wg0.sock"));
        assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan when the socket was deleted");

        timers.advance(LifecycleWatcher.SETTLE);
        assertNotNull(scans.poll(1, TimeUnit.SECONDS), "no follow-up scan after settling");
        assertEquals(2.0, registry.get("wgmon.lifecycle.events").tag("source", "uapi").counter().count(),
                "the socket's coming and going asked for scans, the other file did not");
    }

    @Test
    void socketsOfInterfacesThatAreNotWatchedAskForNoScan() throws Exception {
        Path uapi = dir.resolve("wireguard");
        Files.createDirectory(uapi);
        // the UAPI directory is shared by every namespace: another namespace's daemon comes and goes
        watcher = new LifecycleWatcher(false, Optional.of(uapi), "wg0"::equals, timers, registry);
        watcher.start(() -> scans.add(Instant.now()), name -> false);

        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(uapi.resolve("other0.sock")));
            InotifyBacklog.awaitRead(Duration.ofSeconds(2));
        }
        Files.delete(uapi.resolve("other0.sock"));
        InotifyBacklog.awaitRead(Duration.ofSeconds(2));
        // the marker: the watched interface's socket; other0's coming and going asked for nothing before it
        try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            daemon.bind(UnixDomainSocketAddress.of(uapi.resolve("wg0.sock")));
            assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan when the watched interface's socket appeared");
        }
        assertEquals(1.0, registry.get("wgmon.lifecycle.events").tag("source", "uapi").counter().count(),
                "only the watched interface's socket asked for a scan");
        assertNull(scans.poll(), "nothing before the marker's scan");
    }

    @Test
    void aDirectoryThatIsNotThereYetIsWatchedFromItsParent() throws Exception {
        Path uapi = dir.resolve("wireguard");
        watcher = new LifecycleWatcher(false, Optional.of(uapi), name -> true, timers, registry);
        watcher.start(() -> scans.add(Instant.now()), name -> false);

        Files.createDirectory(uapi);
        assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan when the UAPI directory appeared");
        scans.clear();
        try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            daemon.bind(UnixDomainSocketAddress.of(uapi.resolve("wg1.sock")));
            assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan for a socket in the directory that appeared later");
        }

        // removed and made again: watched from the parent in between, then the directory once more
        Files.delete(uapi.resolve("wg1.sock"));
        Files.delete(uapi);
        assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan when the UAPI directory went away");
        Files.createDirectory(uapi);
        assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan when the UAPI directory was made again");
        scans.clear();
        try (ServerSocketChannel daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            daemon.bind(UnixDomainSocketAddress.of(uapi.resolve("wg2.sock")));
            assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan for a socket in the directory made again");
        }
    }

    @Test
    void tunLinksComingAndGoingInTheNamespaceAskForScans() throws Exception {
        LivePrerequisites.require("ip");
        namespace = "wgm-lc-" + ThreadLocalRandom.current().nextInt(100000, 999999);
        Shell.run(List.of("ip", "netns", "add", namespace));
        watcher = new LifecycleWatcher(true, Optional.empty(), name -> true, timers, registry);
        NetNs.call(namespace, () -> {
            watcher.start(() -> scans.add(Instant.now()), name -> name.equals("known0"));
            return null;
        });
        List<String> linksScannedFor = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(LinkNotifications.class.getName());
        Level level = log.getLevel();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                if (message.startsWith("Link ")) {
                    linksScannedFor.add(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.setLevel(Level.FINE);
        log.addHandler(handler);
        Instant added;
        Instant seen;
        try {
            Shell.run(List.of("ip", "-n", namespace, "link", "add", "br0", "type", "bridge"));

            // the marker: a tun link; every notification before it was read before its scan was asked
            added = Instant.now();
            Shell.run(List.of("ip", "-n", namespace, "tuntap", "add", "mode", "tun", "name", "wgtun0"));
            seen = scans.poll(2, TimeUnit.SECONDS);
            assertNotNull(seen, "no scan when a tun link appeared");
            assertTrue(linksScannedFor.stream().noneMatch(line -> line.contains("br0")),
                    "a bridge is not WireGuard: " + linksScannedFor);
            assertTrue(linksScannedFor.stream().anyMatch(line -> line.startsWith("Link wgtun0 ")), linksScannedFor.toString());
        } finally {
            log.removeHandler(handler);
            log.setLevel(level);
        }
        scans.clear();

        Instant deleted = Instant.now();
        Shell.run(List.of("ip", "-n", namespace, "link", "del", "wgtun0"));
        Instant seenGone = scans.poll(2, TimeUnit.SECONDS);
        assertNotNull(seenGone, "no scan when the tun link went away");
        System.out.println("LIFECYCLE: tun added -> scan asked " + Duration.between(added, seen).toMillis()
                + " ms (incl. running ip), deleted -> scan asked " + Duration.between(deleted, seenGone).toMillis() + " ms");
        scans.clear();

        Shell.run(List.of("ip", "-n", namespace, "link", "add", "known0", "type", "bridge"));
        assertNotNull(scans.poll(2, TimeUnit.SECONDS), "no scan for a link the last scan read");
        assertFalse(registry.get("wgmon.lifecycle.events").tag("source", "link").counter().count() < 3);
        assertEquals(0.0, registry.get("wgmon.lifecycle.malformed").counter().count());
    }

    @Test
    void aDescriptorThatCannotBeOpenedLeavesTheOtherOrNothing() throws Exception {
        Path unreachable = dir.resolve("no").resolve("such").resolve("wireguard");
        watcher = new LifecycleWatcher(false, Optional.of(unreachable), name -> true, timers, registry);
        watcher.start(() -> scans.add(Instant.now()), name -> false);
        assertFalse(watcher.isRunning(), "nothing to watch, no thread");
        watcher.close();

        watcher = new LifecycleWatcher(true, Optional.of(unreachable), name -> true, timers, registry);
        watcher.start(() -> scans.add(Instant.now()), name -> false);
        assertTrue(watcher.isRunning(), "the link notifications alone are worth the thread");
    }

    @Test
    void closingStopsTheThread() throws Exception {
        watcher = new LifecycleWatcher(true, Optional.of(dir), name -> true, timers, registry);
        watcher.start(() -> scans.add(Instant.now()), name -> false);
        assertTrue(watcher.isRunning());

        watcher.close();

        assertFalse(watcher.isRunning());
    }
}
