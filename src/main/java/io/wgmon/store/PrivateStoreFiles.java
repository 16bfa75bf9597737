package io.wgmon.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The store's folder mode 0700 and its files 0600, whatever existed before (a hostPath folder made
 * 0755, files an older wgmon or SQLite made 0644): events name peers, their addresses and rendered
 * bodies. SQLite gives {@code -wal} and {@code -shm} the mode of the database file, so the database
 * is made 0600 before SQLite opens it. Where the file system has no POSIX modes, nothing is changed.
 */
final class PrivateStoreFiles {
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateStoreFiles() {
    }

    /** Creates {@code dir} 0700 (its parents as the umask says) or makes an existing one 0700. */
    static void folder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir);
        }
        restrict(dir, FOLDER);
    }

    /** Creates the database file 0600 when missing and makes the store's files that exist 0600. */
    static void files(Path dir, String database, String lock) throws IOException {
        Path db = dir.resolve(database);
        if (!Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(db);
        }
        for (String name : List.of(database, database + "-wal", database + "-shm", database + "-journal", lock)) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                restrict(file, FILE);
            }
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view != null && !view.readAttributes().permissions().equals(mode)) {
            view.setPermissions(mode);
        }
    }
}
