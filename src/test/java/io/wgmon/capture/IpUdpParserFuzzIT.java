package io.wgmon.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any bytes as the IP packet of a capture: a flow or {@link PacketRejectedException}, nothing else
 * (docs/architecture.md#fuzzing).
 */
class IpUdpParserFuzzIT {

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] packet) {
        UdpFlow flow;
        try {
            flow = IpUdpParser.parse(ByteBuffer.wrap(packet), new EndpointTable());
        } catch (PacketRejectedException rejected) {
            assertNotNull(rejected.reason());
            return;
        }
        assertNotNull(flow.source());
        assertNotNull(flow.destination());
        assertNotNull(flow.type());
        assertTrue(flow.sourcePort() >= 0 && flow.sourcePort() <= 0xFFFF);
        assertTrue(flow.destinationPort() >= 0 && flow.destinationPort() <= 0xFFFF);
    }
}
