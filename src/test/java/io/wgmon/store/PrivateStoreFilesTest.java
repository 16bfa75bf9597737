package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on the real file system: only wgmon's user can read it, whatever was there before. */
class PrivateStoreFilesTest {
    private static final List<String> FILES = List.of(StoreDatabase.FILE, StoreDatabase.FILE + "-wal",
            StoreDatabase.FILE + "-shm", StoreDatabase.LOCK);

    @TempDir
    Path parent;

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void aNewStoreIsAPrivateFolderOfPrivateFiles() throws IOException {
        Path dir = parent.resolve("new/spool");
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.call(PeerStateTable::all);
            assertEquals("rwx------", mode(dir));
            for (String name : FILES) {
                assertEquals("rw-------", mode(dir.resolve(name)), name);
            }
        }
    }

    /** A DaemonSet's hostPath folder is 0755; files of an older wgmon are 0644. */
    @Test
    void anOpenFolderAndReadableFilesAreTightenedAtOpen() throws IOException {
        Path dir = parent.resolve("spool");
        StoreDatabase.open(dir).close();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : FILES) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.call(PeerStateTable::all);
            assertEquals("rwx------", mode(dir));
            for (String name : FILES) {
                assertTrue(Files.exists(dir.resolve(name)), name);
                assertEquals("rw-------", mode(dir.resolve(name)), name);
            }
        }
    }
}
