package io.wgmon.tracking;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Friendly names that follow their files (docs/architecture.md#surfaces): the directories of the names files
 * are watched, and so are the directories their symbolic links end in (on Linux the JDK's WatchService
 * is inotify; its thread blocks until the kernel reports a change, no timer runs at rest). Any change
 * in a watched directory makes all files be read again: a write, a rename onto a file, the kubelet's
 * ConfigMap update (a new {@code ..<timestamp>} folder, then {@code ..data_tmp} renamed over
 * {@code ..data}, which the names file's link goes through) and a write to a link's target elsewhere.
 * After each read the watched directories follow the links as they now are. A file that cannot be read
 * keeps the names known before, with a WARN. The expectations the files mark (docs/architecture.md#expectations)
 * follow them the same way; each bad one is a WARN line at every read, and what parsed of it is kept.
 */
public final class ReloadingPeerNames implements PeerNames, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReloadingPeerNames.class);

    private final List<Path> files;
    private final WatchService watcher;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Thread thread;
    private volatile Map<String, String> names;
    private volatile Map<String, Expectation> expectations;
    private volatile long reloads;

    /** Reads the files (an unreadable one is the caller's start-up failure) and starts watching them. */
    public ReloadingPeerNames(List<Path> files) throws IOException {
        this.files = files.stream().map(Path::toAbsolutePath).toList();
        PeerNamesFile.Content content = PeerNamesFile.readAll(this.files);
        this.names = content.names();
        this.expectations = content.expectations();
        warnAbout(content);
        this.watcher = FileSystems.getDefault().newWatchService();
        synchronized (watched) {
            for (Path directory : this.files.stream().map(Path::getParent).distinct().toList()) {
                watched.put(directory, register(directory));
            }
            followLinks();
        }
        this.thread = new Thread(this::watch, "wgmon-names");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Friendly names: %d from %s, re-read when the files change", names.size(), this.files);
    }

    @Override
    public String nameOf(PeerKey key) {
        return names.get(key.publicKey());
    }

    /** The expectations the files mark, by public key; a grace is null where a file gave none. */
    public Map<String, Expectation> expectations() {
        return expectations;
    }

    /** How many peers have a name now. */
    public int size() {
        return names.size();
    }

    /** How many times the files were read again since start-up. */
    public long reloads() {
        return reloads;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                if (!key.reset()) {
                    forget(key);
                }
                reload();
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // close()
        }
    }

    /**
     * Reads the files again; a failure keeps what was known. The watches follow the links first, so a
     * write into a folder a link now leads to is either in this read or wakes the next one.
     */
    void reload() {
        synchronized (watched) {
            followLinks();
        }
        try {
            PeerNamesFile.Content read = PeerNamesFile.readAll(files);
            if (!read.names().equals(names)) {
                LOG.infof("Friendly names re-read: %d peers named", read.names().size());
            }
            if (!read.expectations().equals(expectations)) {
                LOG.infof("Peer expectations re-read: %d peers marked", read.expectations().size());
            }
            warnAbout(read);
            names = read.names();
            expectations = read.expectations();
            reloads++;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Cannot re-read the friendly names from %s (%s); the %d names known stay", files, e, names.size());
        }
    }

    private static void warnAbout(PeerNamesFile.Content content) {
        content.problems().forEach(problem -> LOG.warnf("Peer expectation ignored in part: %s; the names are kept",
                problem));
    }

    /**
     * Watches the directory of each configured path and of each file's real path, and stops watching
     * directories no link leads to any more (or that were deleted).
     */
    private void followLinks() {
        Set<Path> wanted = new LinkedHashSet<>();
        for (Path file : files) {
            wanted.add(file.getParent());
            try {
                Path real = file.toRealPath();
                if (!real.equals(file) && real.getParent() != null) {
                    wanted.add(real.getParent());
                }
            } catch (IOException | RuntimeException gone) {
                // a missing target: the configured directory still tells when it comes back
            }
        }
        watched.entrySet().removeIf(entry -> {
            boolean stale = !wanted.contains(entry.getKey()) || !entry.getValue().isValid();
            if (stale) {
                entry.getValue().cancel();
            }
            return stale;
        });
        for (Path directory : wanted) {
            if (!watched.containsKey(directory) && Files.isDirectory(directory)) {
                try {
                    watched.put(directory, register(directory));
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("Cannot watch %s (%s)", directory, e);
                }
            }
        }
    }

    private WatchKey register(Path directory) throws IOException {
        return directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void forget(WatchKey key) {
        synchronized (watched) {
            watched.values().remove(key);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debugf(e, "Closing the names watch");
        }
        thread.interrupt();
    }
}
