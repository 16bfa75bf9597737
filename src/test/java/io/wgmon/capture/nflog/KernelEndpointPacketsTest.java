package io.wgmon.capture.nflog;

import io.wgmon.capture.EndpointPacketTimes;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a read answers without asking the kernel; the kernel's answers are KernelEndpointPacketsLiveTest's. */
class KernelEndpointPacketsTest {

    @Test
    void nothingResolvedToAskForIsNoTimesAndNoException() {
        KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
        assertEquals(Map.of(), packets.read(List.of()));
        assertEquals(Map.of(), packets.read(Arrays.asList(null, InetSocketAddress.createUnresolved("peer.example", 1))));
    }

    @Test
    void noneHasNoTimes() throws Exception {
        assertEquals(Map.of(), EndpointPacketTimes.none().read(List.of(
                new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 40001))));
    }
}
