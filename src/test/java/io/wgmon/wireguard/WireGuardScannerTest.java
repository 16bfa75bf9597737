package io.wgmon.wireguard;

import io.wgmon.wireguard.Scan.ScanFailure;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scanner's own logic (filtering, failure classification), over backends held in memory. */
class WireGuardScannerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T23:00:00Z"), ZoneOffset.UTC);

    /** A backend answering from a map; a missing name behaves as a vanished device. */
    private record MapBackend(String backendName, Map<String, Object> devices) implements WireGuardClient {
        @Override
        public List<String> interfaceNames() throws WireGuardException {
            if (devices.containsKey("*")) {
                throw new WireGuardException(WireGuardException.Reason.IO, "listing refused");
            }
            return devices.keySet().stream().sorted().toList();
        }

        @Override
        public Device device(String name) throws WireGuardException {
            Object device = devices.get(name);
            if (device instanceof WireGuardException e) {
                throw e;
            }
            return (Device) device;
        }
    }

    private static Device device(String name) {
        return new Device(name, null, 3000, 0, List.of());
    }

    @Test
    void readsEveryInterfaceOfEveryBackendOnce() {
        WireGuardScanner scanner = new WireGuardScanner(List.of(
                new MapBackend("kernel", Map.of("wg0", device("wg0"), "wg1", device("wg1"))),
                new MapBackend("userspace", Map.of("wg1", device("wg1"), "wg2", device("wg2")))),
                Optional.empty(), CLOCK);
        Scan scan = scanner.scan();
        assertEquals(List.of("wg0", "wg1", "wg2"), scan.devices().stream().map(Device::name).toList());
        assertEquals(CLOCK.instant(), scan.time());
        assertEquals(List.of("kernel", "userspace"), scanner.backendNames());
    }

    @Test
    void watchesOnlyTheConfiguredInterfaces() {
        WireGuardScanner scanner = new WireGuardScanner(List.of(
                new MapBackend("userspace", Map.of("wg0", device("wg0"), "wg1", device("wg1")))),
                Optional.of(Set.of("wg1", "wg9")), CLOCK);
        assertEquals(List.of("wg1"), scanner.scan().devices().stream().map(Device::name).toList());
    }

    @Test
    void configuredInterfacesAreLookedUpByNameWithoutListingEveryInterface() {
        WireGuardClient byNameOnly = new WireGuardClient() {
            @Override
            public String backendName() {
                return "userspace";
            }

            @Override
            public List<String> interfaceNames() throws WireGuardException {
                throw new WireGuardException(WireGuardException.Reason.IO, "listed every interface");
            }

            @Override
            public List<String> interfaceNames(Set<String> among) {
                return among.contains("wg1") ? List.of("wg1") : List.of();
            }

            @Override
            public Device device(String name) {
                return WireGuardScannerTest.device(name);
            }
        };
        Scan scan = new WireGuardScanner(List.of(byNameOnly), Optional.of(Set.of("wg1", "wg9")), CLOCK).scan();
        assertEquals(List.of(), scan.failures());
        assertEquals(List.of("wg1"), scan.devices().stream().map(Device::name).toList());
    }

    @Test
    void aVanishedDeviceIsAbsentAndABrokenOneIsAFailure() {
        WireGuardScanner scanner = new WireGuardScanner(List.of(new MapBackend("userspace", Map.of(
                "gone", new WireGuardException(WireGuardException.Reason.NO_SUCH_DEVICE, "gone: no such device"),
                "hung", new WireGuardException(WireGuardException.Reason.TIMEOUT, "hung: timed out after 2s"),
                "wg0", device("wg0")))), Optional.empty(), CLOCK);
        Scan scan = scanner.scan();
        assertEquals(List.of("wg0"), scan.devices().stream().map(Device::name).toList());
        assertEquals(List.of(new ScanFailure("hung", "hung: timed out after 2s")), scan.failures());
    }

    @Test
    void aBackendThatCannotListIsAFailureWithoutAnInterfaceName() {
        WireGuardScanner scanner = new WireGuardScanner(List.of(
                new MapBackend("kernel", Map.of("*", device("x"))),
                new MapBackend("userspace", Map.of("wg0", device("wg0")))), Optional.empty(), CLOCK);
        Scan scan = scanner.scan();
        assertEquals(List.of(new ScanFailure(null, "kernel: listing refused")), scan.failures());
        assertEquals(1, scan.devices().size());
    }
}
