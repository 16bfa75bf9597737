package io.wgmon.webhook;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Stream;

/** Finds spools of receivers that are no longer configured: their events are not sent, so say so. */
final class SpoolDirectories {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private SpoolDirectories() {
    }

    static void warnAboutUnused(Path root, Collection<String> inUse) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory)
                    .filter(dir -> !inUse.contains(dir.getFileName().toString()))
                    .filter(SpoolDirectories::holdsSegments)
                    .forEach(dir -> LOG.warnf("webhook spool %s belongs to no configured receiver (its receiver was "
                            + "removed or its URL changed): its events are not sent; delete it when no longer needed",
                            dir));
        } catch (IOException e) {
            LOG.warnf("cannot list the webhook spool directory %s: %s", root, e);
        }
    }

    private static boolean holdsSegments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".log"));
        } catch (IOException e) {
            return false;
        }
    }
}
