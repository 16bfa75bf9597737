package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.wgmon.capture.EndpointPackets;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanPacketTimesTest {
    private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");

    private final List<Set<InetSocketAddress>> reads = new ArrayList<>();
    private final Map<InetSocketAddress, Instant> kernelIn = new HashMap<>();
    private final Map<InetSocketAddress, Instant> captured = new HashMap<>();
    private final EndpointPacketTimes kernel = (Collection<InetSocketAddress> endpoints) -> {
        reads.add(new HashSet<>(endpoints));
        Map<InetSocketAddress, EndpointPackets> times = new HashMap<>();
        endpoints.stream().filter(kernelIn::containsKey)
                .forEach(e -> times.put(e, new EndpointPackets(kernelIn.get(e), null)));
        return times;
    };
    private final ScanPacketTimes times = new ScanPacketTimes(captured::get, kernel);

    private static InetSocketAddress endpoint(int n) throws Exception {
        return new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 40000 + n);
    }

    @Test
    void theLaterOfTheCapturesAndTheKernelsTimeDatesAndEachEndpointIsReadOnceAScan() throws Exception {
        kernelIn.put(endpoint(1), T0.plusSeconds(5));
        captured.put(endpoint(1), T0.plusSeconds(3));
        captured.put(endpoint(2), T0.plusSeconds(4));
        times.newScan(Set.of());
        assertEquals(T0.plusSeconds(5), times.apply(endpoint(1)));
        assertEquals(T0.plusSeconds(5), times.apply(endpoint(1)));
        assertEquals(T0.plusSeconds(4), times.apply(endpoint(2)));
        assertNull(times.apply(endpoint(3)));
        assertEquals(3, reads.size(), "one read per endpoint: " + reads);
        assertTrue(times.dated(endpoint(1)));
        assertFalse(times.dated(endpoint(2)), "no kernel time for it");

        kernelIn.put(endpoint(1), T0.plusSeconds(9));
        times.newScan(Set.of());
        assertEquals(T0.plusSeconds(9), times.apply(endpoint(1)), "a new scan reads again");
    }

    @Test
    void pastSixteenEndpointsEveryConnectedOneIsReadAtOnce() throws Exception {
        Set<InetSocketAddress> connected = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            connected.add(endpoint(i));
            kernelIn.put(endpoint(i), T0.plusSeconds(i));
        }
        times.newScan(connected);
        for (int i = 0; i < 40; i++) {
            assertEquals(T0.plusSeconds(i), times.apply(endpoint(i)));
        }
        assertEquals(ScanPacketTimes.SINGLE_READS + 1, reads.size());
        assertEquals(connected, reads.get(ScanPacketTimes.SINGLE_READS), "the last read asks for every endpoint");
    }
}
