package io.wgmon.health;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.Scan.ScanFailure;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanReadinessTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static Scan scan(List<String> devices, ScanFailure... failures) {
        return new Scan(NOW, devices.stream().map(n -> new Device(n, null, 3000, 0, List.of())).toList(),
                List.of(failures));
    }

    @Test
    void everyInterfaceAnsweredIsReady() {
        ScanReadiness readiness = ScanReadiness.of(scan(List.of("wg0", "wg1")), Set.of());
        assertTrue(readiness.ready());
        assertEquals(List.of(), readiness.warnings());
    }

    @Test
    void aStrayBrokenSocketIsAWarningNotAReasonToBeUnready() {
        ScanReadiness readiness = ScanReadiness.of(scan(List.of("wg0"), new ScanFailure("junk", "connection refused")),
                Set.of());
        assertTrue(readiness.ready());
        assertEquals(List.of("junk: connection refused"), readiness.warnings());
    }

    @Test
    void aNamedInterfaceThatCannotBeReadMakesItUnready() {
        ScanReadiness readiness = ScanReadiness.of(scan(List.of("wg1"), new ScanFailure("wg0", "timed out")),
                Set.of("wg0", "wg1"));
        assertFalse(readiness.ready());
        assertEquals(List.of("wg0: timed out"), readiness.problems());
    }

    @Test
    void aBackendThatCannotListMakesItUnready() {
        ScanReadiness readiness = ScanReadiness.of(scan(List.of(), new ScanFailure(null, "kernel: permission denied")),
                Set.of());
        assertFalse(readiness.ready());
        assertEquals(List.of(), readiness.missing(), "nothing is known to be missing when listing failed");
    }

    @Test
    void aNamedInterfaceThatDoesNotExistIsShownAndWgmonStaysReady() {
        ScanReadiness readiness = ScanReadiness.of(scan(List.of("wg0")), Set.of("wg0", "nosuch0"));
        assertTrue(readiness.ready());
        assertEquals(List.of("nosuch0"), readiness.missing());
    }
}
