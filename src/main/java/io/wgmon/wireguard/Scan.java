package io.wgmon.wireguard;

import java.time.Instant;
import java.util.List;

/**
 * What one scan of all watched interfaces found.
 *
 * @param devices  devices read successfully
 * @param failures interfaces that exist (or may) but could not be read this time; the tracker
 *                 leaves their peers as they were instead of reporting them gone
 */
public record Scan(Instant time, List<Device> devices, List<ScanFailure> failures) {
    public Scan {
        devices = List.copyOf(devices);
        failures = List.copyOf(failures);
    }

    public boolean complete() {
        return failures.isEmpty();
    }

    public record ScanFailure(String interfaceName, String message) {
    }
}
