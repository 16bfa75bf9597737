package io.wgmon.webhook;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real fsync, with a record of every call: which file, and how long it was when the fsync began. */
final class CountingFsync implements Fsync {
    record Call(Path file, long size) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void force(FileChannel channel, Path file) throws IOException {
        long size = Files.isDirectory(file) ? 0 : channel.size();
        channel.force(false);
        calls.add(new Call(file, size));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    long count(String fileNameSuffix) {
        return calls.stream().filter(call -> call.file().getFileName().toString().endsWith(fileNameSuffix)).count();
    }

    /** Whether some fsync of a file with this suffix covered at least {@code size} bytes of it. */
    boolean covered(Path file, long size) {
        return calls.stream().anyMatch(call -> call.file().equals(file) && call.size() >= size);
    }
}
