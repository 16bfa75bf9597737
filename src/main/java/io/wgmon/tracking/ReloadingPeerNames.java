package io.wgmon.tracking;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Friendly names that follow their files (docs/architecture.md §12): the directories of the names files
 * are watched (on Linux the JDK's WatchService is inotify; its thread blocks until the kernel reports a
 * change, no timer runs at rest), and when one of the files is written, replaced by a rename (as
 * editors and ConfigMap updates do) or appears, all files are read again. A file that cannot be read
 * keeps the names known before, with a WARN.
 */
public final class ReloadingPeerNames implements PeerNames, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReloadingPeerNames.class);

    private final List<Path> files;
    private final Set<Path> fileNames = new HashSet<>();
    private final WatchService watcher;
    private final Thread thread;
    private volatile Map<String, String> names;
    private volatile long reloads;

    /** Reads the files (an unreadable one is the caller's start-up failure) and starts watching them. */
    public ReloadingPeerNames(List<Path> files) throws IOException {
        this.files = files.stream().map(Path::toAbsolutePath).toList();
        this.names = PeerNamesFile.read(this.files);
        this.watcher = FileSystems.getDefault().newWatchService();
        Set<Path> directories = new HashSet<>();
        for (Path file : this.files) {
            fileNames.add(file.getFileName());
            directories.add(file.getParent());
        }
        for (Path directory : directories) {
            directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
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
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    ours |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || (context instanceof Path name && fileNames.contains(name));
                }
                key.reset();
                if (ours) {
                    reload();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // close()
        }
    }

    /** Reads the files again; a failure keeps what was known. */
    void reload() {
        try {
            Map<String, String> read = PeerNamesFile.read(files);
            if (!read.equals(names)) {
                LOG.infof("Friendly names re-read: %d peers named", read.size());
            }
            names = read;
            reloads++;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Cannot re-read the friendly names from %s (%s); the %d names known stay", files, e, names.size());
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
