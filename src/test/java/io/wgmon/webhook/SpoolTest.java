package io.wgmon.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool on real files: order, acks, torn and corrupt files, rotation, the size bound and fsync policy. */
class SpoolTest {
    private static final long LARGE = 1 << 20;

    @TempDir
    Path dir;

    private final CountingFsync fsync = new CountingFsync();

    @Test
    void undoneRecordsComeBackInOrderAndSequenceNumbersGoOn() throws IOException {
        try (Spool spool = open(LARGE)) {
            assertEquals(List.of(), spool.takeRecovered());
            for (String text : List.of("a", "b", "c", "d")) {
                spool.append(bytes(text));
            }
            spool.markDone(1);
        }
        try (Spool spool = open(LARGE)) {
            assertEquals(List.of("0:a", "2:c", "3:d"), texts(spool.takeRecovered()));
            assertEquals(4, spool.append(bytes("e")).seq());
            spool.markDone(0);
            spool.markDone(3);
            spool.markDone(99);
        }
        try (Spool spool = open(LARGE)) {
            assertEquals(List.of("2:c", "4:e"), texts(spool.takeRecovered()));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws IOException {
        try (Spool ignored = open(LARGE)) {
            IOException error = assertThrows(IOException.class, () -> open(LARGE));
            assertTrue(error.getMessage().contains("in use by another wgmon"), error.getMessage());
        }
        open(LARGE).close();
    }

    @Test
    void aTruncatedLastRecordIsSkippedWithALogLineAndCutOff() throws IOException {
        try (Spool spool = open(LARGE)) {
            spool.append(bytes("first"));
            spool.append(bytes("second"));
            spool.append(bytes("third, torn by a crash"));
        }
        Path log = onlyFile(".log");
        long fullLength = Files.size(log);
        try (var channel = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(fullLength - 5);
        }
        try (LogCapture log4 = LogCapture.warningsOf(Spool.class); Spool spool = open(LARGE)) {
            assertEquals(List.of("0:first", "1:second"), texts(spool.takeRecovered()));
            assertEquals(1, log4.warningsContaining("not a complete record").size(), log4.warnings().toString());
            assertTrue(Files.size(log) < fullLength - 5, "the torn record was cut off");
            spool.append(bytes("after restart"));
        }
        try (LogCapture log4 = LogCapture.warningsOf(Spool.class); Spool spool = open(LARGE)) {
            assertEquals(List.of("0:first", "1:second", "2:after restart"), texts(spool.takeRecovered()));
            assertEquals(List.of(), log4.warnings(), "nothing left to complain about");
        }
    }

    @Test
    void garbageAfterTheLastRecordIsSkippedInLogAndAckFiles() throws IOException {
        try (Spool spool = open(LARGE)) {
            for (int i = 0; i < 4; i++) {
                spool.append(bytes("record " + i));
            }
            spool.markDone(0);
        }
        byte[] garbage = new byte[37];
        new Random(5).nextBytes(garbage);
        Files.write(onlyFile(".log"), garbage, StandardOpenOption.APPEND);
        Files.write(onlyFile(".ack"), garbage, StandardOpenOption.APPEND);
        try (LogCapture log = LogCapture.warningsOf(Spool.class); Spool spool = open(LARGE)) {
            assertEquals(List.of("1:record 1", "2:record 2", "3:record 3"), texts(spool.takeRecovered()));
            assertEquals(2, log.warningsContaining("not a complete record").size(), log.warnings().toString());
            spool.markDone(2);
        }
        try (Spool spool = open(LARGE)) {
            assertEquals(List.of("1:record 1", "3:record 3"), texts(spool.takeRecovered()),
                    "the ack written after the garbage was cut off is read");
        }
    }

    @Test
    void aRecordFailingItsCrcIsSkippedAndTheRestIsRead() throws IOException {
        try (Spool spool = open(LARGE)) {
            spool.append(bytes("one"));
            spool.append(bytes("two"));
            spool.append(bytes("three"));
        }
        Path log = onlyFile(".log");
        byte[] content = Files.readAllBytes(log);
        int secondPayload = SpoolFrames.frameSize(Long.BYTES + 3) + SpoolFrames.HEADER + Long.BYTES;
        assertEquals('t', content[secondPayload]);
        content[secondPayload] = 'T';
        Files.write(log, content);
        try (LogCapture warnings = LogCapture.warningsOf(Spool.class); Spool spool = open(LARGE)) {
            assertEquals(List.of("0:one", "2:three"), texts(spool.takeRecovered()));
            assertEquals(1, warnings.warningsContaining("failed their CRC check").size(), warnings.warnings().toString());
        }
    }

    @Test
    void segmentsRotateAndThoseAllDoneAreDeleted() throws IOException {
        try (Spool spool = Spool.open(dir, LARGE, 256, fsync)) {
            for (int i = 0; i < 200; i++) {
                long seq = spool.append(bytes("event number " + i)).seq();
                if (i >= 2) {
                    spool.markDone(seq - 2);
                }
                assertTrue(spool.segmentCount() <= 2, "segments at " + i + ": " + spool.segmentCount());
            }
            assertTrue(spool.diskBytes() < 2 * 256 + 200, "disk use " + spool.diskBytes());
        }
        assertTrue(segmentFiles(".log").size() <= 2, segmentFiles(".log").toString());
        try (Spool spool = Spool.open(dir, LARGE, 256, fsync)) {
            assertEquals(List.of("198:event number 198", "199:event number 199"), texts(spool.takeRecovered()));
        }
    }

    @Test
    void theSizeBoundDropsTheOldestSegmentAndReportsItsUndoneRecords() throws IOException {
        long maxBytes = 4096;
        List<Long> evicted = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        try (Spool spool = Spool.open(dir, maxBytes, 512, fsync)) {
            for (int i = 0; i < 100; i++) {
                Spool.Appended appended = spool.append(new byte[80]);
                evicted.addAll(appended.evicted());
                kept.add(appended.seq());
                kept.removeAll(appended.evicted());
                assertTrue(spool.diskBytes() <= maxBytes, "on disk: " + spool.diskBytes());
            }
        }
        assertFalse(evicted.isEmpty());
        assertEquals(evicted.stream().sorted().toList(), evicted, "oldest first");
        assertEquals(0L, evicted.get(0));
        assertEquals(evicted.get(evicted.size() - 1) + 1, kept.get(0), "exactly the oldest are gone");
        try (Spool spool = Spool.open(dir, maxBytes, 512, fsync)) {
            assertEquals(kept, spool.takeRecovered().stream().map(Spool.Entry::seq).toList());
        }
    }

    @Test
    void aRecordLargerThanTheBoundIsRefused() throws IOException {
        try (Spool spool = Spool.open(dir, 1000, 200, fsync)) {
            assertTrue(spool.fits(900));
            assertFalse(spool.fits(1000));
            assertThrows(IllegalArgumentException.class, () -> spool.append(new byte[1000]));
        }
    }

    @Test
    void fsyncIsGroupedAndOnlyDoneWhenSomethingIsNotYetDurable() throws IOException {
        try (Spool spool = open(LARGE)) {
            assertEquals(0, fsync.calls().size(), "opening an empty spool writes nothing");
            long a = spool.append(bytes("a")).seq();
            assertEquals(1, fsync.calls().size(), "creating the segment file syncs the directory");
            assertEquals(dir, fsync.calls().get(0).file());
            spool.append(bytes("b"));
            long c = spool.append(bytes("c")).seq();
            assertEquals(0, fsync.count(".log"), "appends only write");

            spool.syncThrough(c);
            assertEquals(1, fsync.count(".log"), "one fsync covers all three records");
            Path log = onlyFile(".log");
            assertTrue(fsync.covered(log, Files.size(log)));
            spool.syncThrough(a);
            spool.syncThrough(c);
            assertEquals(1, fsync.count(".log"), "nothing new to sync");

            spool.markDone(a);
            assertEquals(0, fsync.count(".ack"), "a done mark is written, synced later");
            spool.sync();
            assertEquals(1, fsync.count(".ack"));
            assertEquals(1, fsync.count(".log"), "the log was not written since");
            spool.sync();
            assertEquals(2, fsync.calls().stream().filter(call -> !call.file().equals(dir)).count());
        }
    }

    @Test
    void rotationSyncsTheFullSegmentAndTheDirectory() throws IOException {
        try (Spool spool = Spool.open(dir, LARGE, 64, fsync)) {
            spool.append(new byte[100]);
            spool.append(new byte[100]);
            assertEquals(1, fsync.count(".log"), "the sealed segment was synced at rotation");
            assertEquals(2, fsync.calls().stream().filter(call -> call.file().equals(dir)).count());
        }
    }

    @Test
    void aNewSpoolDirectoryIsPrivate() throws IOException {
        Path nested = dir.resolve("spool").resolve("receiver-a");
        Spool.open(nested, LARGE, fsync).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    }

    @Test
    void anOrphanAckFileIsRemoved() throws IOException {
        Files.write(dir.resolve(SpoolSegment.name(7) + ".ack"), new byte[]{1, 2, 3});
        try (Spool spool = open(LARGE)) {
            assertEquals(List.of(), spool.takeRecovered());
        }
        assertEquals(List.of(), segmentFiles(".ack"));
    }

    private Spool open(long maxBytes) throws IOException {
        return Spool.open(dir, maxBytes, fsync);
    }

    private Path onlyFile(String suffix) throws IOException {
        List<Path> files = segmentFiles(suffix);
        assertEquals(1, files.size(), files.toString());
        return files.get(0);
    }

    private List<Path> segmentFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Spool.Entry> entries) {
        List<String> texts = new ArrayList<>();
        for (Spool.Entry entry : entries) {
            texts.add(entry.seq() + ":" + new String(entry.data(), StandardCharsets.UTF_8));
        }
        return texts;
    }

    @Test
    void recoveredDataIsByteForByteWhatWasAppended() throws IOException {
        byte[] data = new byte[3000];
        new Random(1).nextBytes(data);
        try (Spool spool = open(LARGE)) {
            spool.append(data);
        }
        try (Spool spool = open(LARGE)) {
            assertArrayEquals(data, spool.takeRecovered().get(0).data());
        }
    }
}
