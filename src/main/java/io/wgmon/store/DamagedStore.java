package io.wgmon.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A database file SQLite cannot read, kept for the operator as {@code <file>.corrupt-<UTC time>} (with its
 * {@code -wal} and {@code -shm} beside it under the same name, so {@code sqlite3} opens the copy as it was)
 * while a fresh store takes its place (docs/architecture.md#store-failures).
 */
final class DamagedStore {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private DamagedStore() {
    }

    /** @return where the database file went */
    static Path moveAside(Path dir, String database, Instant now) throws IOException {
        String kept = database + ".corrupt-" + STAMP.format(now);
        for (String suffix : new String[]{"-wal", "-shm", "-journal", ""}) {
            Path file = dir.resolve(database + suffix);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(file, dir.resolve(kept + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return dir.resolve(kept);
    }
}
