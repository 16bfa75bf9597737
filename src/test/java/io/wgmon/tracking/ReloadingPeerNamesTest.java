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

    /**
     * The kubelet's ConfigMap volume, as its atomic writer lays it out and updates it: the data in a
     * timestamped folder, {@code ..data} a link to it, {@code names} a link through {@code ..data}; an
     * update writes a new folder, links {@code ..data_tmp} to it, renames that over {@code ..data} and
     * deletes the old folder. No event ever names {@code names} itself.
     */
    @Test
    void aConfigMapUpdateByTheKubeletsDataSwapIsReadAgain() throws Exception {
        Path first = directory.resolve("..2026_12_06_23_00_00.123");
        Files.createDirectory(first);
        Files.writeString(first.resolve("names"), ALICE + " = alice-v1\n");
        Files.createSymbolicLink(directory.resolve("..data"), first.getFileName());
        Path names = directory.resolve("names");
        Files.createSymbolicLink(names, Path.of("..data/names"));
        try (ReloadingPeerNames reloading = new ReloadingPeerNames(List.of(names))) {
            assertEquals("alice-v1", reloading.nameOf(ALICE_KEY));

            Path second = directory.resolve("..2026_12_06_23_05_00.456");
            Files.createDirectory(second);
            Files.writeString(second.resolve("names"), ALICE + " = alice-v2\n");
            Path dataTmp = directory.resolve("..data_tmp");
            Files.createSymbolicLink(dataTmp, second.getFileName());
            Files.move(dataTmp, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(first.resolve("names"));
            Files.delete(first);
            awaitEquals("alice-v2", () -> reloading.nameOf(ALICE_KEY));

            Path third = directory.resolve("..2026_12_06_23_10_00.789");
            Files.createDirectory(third);
            Files.writeString(third.resolve("names"), ALICE + " = alice-v3\n");
            Files.createSymbolicLink(dataTmp, third.getFileName());
            Files.move(dataTmp, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(second.resolve("names"));
            Files.delete(second);
            awaitEquals("alice-v3", () -> reloading.nameOf(ALICE_KEY));
        }
    }

    @Test
    void aLinkedFileWhoseTargetIsWrittenElsewhereIsReadAgain() throws Exception {
        Path elsewhere = Files.createDirectory(directory.resolve("elsewhere"));
        Path target = elsewhere.resolve("peers.txt");
        Files.writeString(target, BOB + " = bob-v1\n");
        Path configured = Files.createDirectory(directory.resolve("etc"));
        Path names = configured.resolve("names");
        Files.createSymbolicLink(names, target);
        try (ReloadingPeerNames reloading = new ReloadingPeerNames(List.of(names))) {
            assertEquals("bob-v1", reloading.nameOf(BOB_KEY));
            Files.writeString(target, BOB + " = bob-v2\n");
            awaitEquals("bob-v2", () -> reloading.nameOf(BOB_KEY));

            Path moved = Files.createDirectory(directory.resolve("moved"));
            Files.writeString(moved.resolve("peers.txt"), BOB + " = bob-v3\n");
            Files.delete(names);
            Files.createSymbolicLink(names, moved.resolve("peers.txt"));
            awaitEquals("bob-v3", () -> reloading.nameOf(BOB_KEY));
            Files.writeString(moved.resolve("peers.txt"), BOB + " = bob-v4\n");
            awaitEquals("bob-v4", () -> reloading.nameOf(BOB_KEY));
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
