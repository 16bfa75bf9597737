package io.wgmon.tracking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The names follow their files on the real file system (inotify under the JDK's WatchService). */
class ReloadingPeerNamesTest {
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final PeerKey ALICE_KEY = new PeerKey("wg0", ALICE);
    private static final PeerKey BOB_KEY = new PeerKey("wg0", BOB);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Path directory = temporaryDirectory();

    @AfterEach
    void removeTheDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aFileWrittenInPlaceOrReplacedByARenameIsReadAgainWithoutARestart() throws Exception {
        Path wgQuick = directory.resolve("wg0.conf");
        Path simple = directory.resolve("names.txt");
        Files.writeString(wgQuick, "[Interface]\nPrivateKey = x\n# friendly_name = alice\n[Peer]\nPublicKey = " + ALICE + "\n");
        Files.writeString(simple, "");
        try (ReloadingPeerNames names = new ReloadingPeerNames(List.of(wgQuick, simple))) {
            assertEquals("alice", names.nameOf(ALICE_KEY));
            assertNull(names.nameOf(BOB_KEY));

            long start = System.nanoTime();
            Files.writeString(simple, BOB + " = bob\n");
            awaitEquals("bob", () -> names.nameOf(BOB_KEY));
            System.out.printf("ReloadingPeerNames: a write in place was read again after %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);

            Path next = directory.resolve(".wg0.conf.tmp");
            Files.writeString(next, "# friendly_json = {\"name\": \"alice-laptop\"}\n[Peer]\nPublicKey = " + ALICE + "\n");
            start = System.nanoTime();
            Files.move(next, wgQuick, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitEquals("alice-laptop", () -> names.nameOf(ALICE_KEY));
            System.out.printf("ReloadingPeerNames: a replacement by rename was read again after %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);

            Files.delete(simple);
            names.reload();
            assertEquals("bob", names.nameOf(BOB_KEY), "a file that cannot be read keeps the names known before");
            Files.writeString(directory.resolve("unrelated.txt"), "x");
            Files.writeString(simple, BOB + " = bobby\n");
            awaitEquals("bobby", () -> names.nameOf(BOB_KEY));
            Files.writeString(wgQuick, "[Peer]\nPublicKey = " + ALICE + "\n");
            awaitEquals(null, () -> names.nameOf(ALICE_KEY));
        }
    }

    private static void awaitEquals(String expected, Supplier<String> actual) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Objects.equals(expected, actual.get()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, actual.get());
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("wgmon-names-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
