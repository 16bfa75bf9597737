package io.wgmon.capture.nflog;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether the calling thread holds CAP_NET_ADMIN (capabilities are per thread on Linux). */
final class NetAdminCapability {
    private static final int CAP_NET_ADMIN = 12;
    private static final Path THREAD_STATUS = Path.of("/proc/thread-self/status");

    private NetAdminCapability() {
    }

    /** Empty when it cannot be told (no /proc). */
    static Optional<Boolean> heldByCurrentThread() {
        try {
            return fromStatus(Files.readString(THREAD_STATUS));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Reads the effective set from the text of /proc/.../status ({@code CapEff:\t<hex>}). */
    static Optional<Boolean> fromStatus(String status) {
        return status.lines()
                .filter(line -> line.startsWith("CapEff:"))
                .findFirst()
                .map(line -> new BigInteger(line.substring("CapEff:".length()).trim(), 16).testBit(CAP_NET_ADMIN));
    }
}
