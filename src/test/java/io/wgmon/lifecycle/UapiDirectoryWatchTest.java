package io.wgmon.lifecycle;

import io.wgmon.os.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.net.StandardProtocolFamily.UNIX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real inotify on a folder this test makes: what wakes the watch, and what it drops unparsed. */
class UapiDirectoryWatchTest {
    @TempDir
    Path dir;

    @Test
    void filesThatAreNotSocketsAreDroppedUnparsedAndUnwatchedSocketsAskForNoScan() throws Exception {
        try (UapiDirectoryWatch watch = UapiDirectoryWatch.open(LibC.load(), dir, "wg0"::equals)) {
            Files.writeString(dir.resolve("notes.txt"), "not a socket");
            Files.delete(dir.resolve("notes.txt"));
            Files.createDirectory(dir.resolve("sub.d"));
            assertFalse(watch.readChanges());
            assertTrue(watch.discardedUnparsed() >= 1, "dropped on the bytes");

            long before = watch.discardedUnparsed();
            try (ServerSocketChannel other = ServerSocketChannel.open(UNIX)) {
                other.bind(UnixDomainSocketAddress.of(dir.resolve("other0.sock")));
            }
            assertFalse(watch.readChanges(), "a socket of an interface not watched asks for no scan");
            assertEquals(before, watch.discardedUnparsed(), "a socket's name is parsed");

            try (ServerSocketChannel daemon = ServerSocketChannel.open(UNIX)) {
                daemon.bind(UnixDomainSocketAddress.of(dir.resolve("wg0.sock")));
            }
            assertTrue(watch.readChanges(), "a watched interface's socket asks for a scan");
            Files.delete(dir.resolve("wg0.sock"));
            assertTrue(watch.readChanges());
        }
    }
}
