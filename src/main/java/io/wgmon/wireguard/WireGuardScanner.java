package io.wgmon.wireguard;

import io.wgmon.wireguard.Scan.ScanFailure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One scan over every backend: lists each backend's interfaces (only the watched ones, looked up by name,
 * when interfaces are configured) and reads each device. A device that vanished mid-scan is simply absent;
 * any other failure is recorded so the tracker leaves that interface's peers alone instead of reporting them
 * gone.
 */
public final class WireGuardScanner implements AutoCloseable {
    private final List<WireGuardClient> backends;
    private final Optional<Set<String>> watched;
    private final Clock clock;

    public WireGuardScanner(List<WireGuardClient> backends, Optional<Set<String>> watched, Clock clock) {
        this.backends = List.copyOf(backends);
        this.watched = watched.map(Set::copyOf);
        this.clock = clock;
    }

    public Scan scan() {
        List<Device> devices = new ArrayList<>();
        List<ScanFailure> failures = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (WireGuardClient backend : backends) {
            List<String> names;
            try {
                names = watched.isPresent() ? backend.interfaceNames(watched.get()) : backend.interfaceNames();
            } catch (WireGuardException e) {
                failures.add(new ScanFailure(null, backend.backendName() + ": " + e.getMessage()));
                continue;
            }
            for (String name : names) {
                if (seen.add(name)) {
                    read(backend, name, devices, failures);
                }
            }
        }
        return new Scan(clock.instant(), devices, failures);
    }

    private static void read(WireGuardClient backend, String name, List<Device> devices, List<ScanFailure> failures) {
        try {
            devices.add(backend.device(name));
        } catch (WireGuardException e) {
            if (e.reason() != WireGuardException.Reason.NO_SUCH_DEVICE) {
                failures.add(new ScanFailure(name, e.getMessage()));
            }
            // NO_SUCH_DEVICE: removed between listing and reading, absent like one that was never there
        }
    }

    public List<String> backendNames() {
        return backends.stream().map(WireGuardClient::backendName).toList();
    }

    /** Closes every backend (the kernel one holds netlink sockets). */
    @Override
    public void close() {
        backends.forEach(WireGuardClient::close);
    }
}
