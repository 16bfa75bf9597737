package io.wgmon.wireguard;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /** Every backend could list its interfaces (a failure without an interface name is a listing failure). */
    public boolean listed() {
        return failures.stream().noneMatch(f -> f.interfaceName() == null);
    }

    /**
     * Of {@code named}, the interfaces this scan neither read nor failed to read, sorted; empty when a
     * backend could not list its interfaces, since then nothing is known to be missing.
     */
    public List<String> missing(Set<String> named) {
        if (!listed()) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        devices.forEach(d -> seen.add(d.name()));
        failures.forEach(f -> seen.add(f.interfaceName()));
        return named.stream().filter(name -> !seen.contains(name)).sorted().toList();
    }

    public record ScanFailure(String interfaceName, String message) {
    }
}
