package io.wgmon.capture.pcap;

import io.wgmon.os.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The network interfaces of the calling thread's network namespace. Namespaces are per thread,
 * so this reads /proc/thread-self (not /proc/self, which follows the main thread) and asks libc
 * on the calling thread.
 */
final class NetworkInterfaces {
    private static final List<Path> DEVICE_TABLES = List.of(Path.of("/proc/thread-self/net/dev"),
            Path.of("/proc/net/dev"));

    private NetworkInterfaces() {
    }

    /** Interface names in kernel order; empty when /proc cannot be read. */
    static List<String> names() {
        for (Path table : DEVICE_TABLES) {
            try {
                return fromProcNetDev(Files.readString(table));
            } catch (IOException | RuntimeException e) {
                // try the next table
            }
        }
        return List.of();
    }

    /** The interface's index, 0 when it has none (such as the pseudo-interface "any"). */
    static int index(String name) {
        try {
            return LibC.load().if_nametoindex(name);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
    }

    /** Parses /proc/net/dev: two heading lines, then {@code "  name: counters..."} per interface. */
    static List<String> fromProcNetDev(String table) {
        return table.lines()
                .skip(2)
                .filter(line -> line.indexOf(':') > 0)
                .map(line -> line.substring(0, line.indexOf(':')).trim())
                .filter(name -> !name.isEmpty())
                .toList();
    }
}
