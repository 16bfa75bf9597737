package io.wgmon.webhook;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** How the spool makes written bytes durable; a seam so tests can see when it is done. */
@FunctionalInterface
public interface Fsync {
    Fsync FORCE = (channel, file) -> channel.force(false);

    /** @param file what the channel is open on, a spool file or the spool directory */
    void force(FileChannel channel, Path file) throws IOException;
}
