package io.wgmon.capture;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;

/**
 * The kernel's last inbound and outbound packet times of endpoints (docs/architecture.md#packet-times). Called on the
 * scan thread; a read may block for a short reply timeout.
 */
public interface EndpointPacketTimes {

    /**
     * For each endpoint asked, its last inbound and outbound packet; an endpoint with neither is left out. Never
     * throws: on a failure, what was read before it (possibly nothing).
     */
    Map<InetSocketAddress, EndpointPackets> read(Collection<InetSocketAddress> endpoints);

    /** No packet times at all: for a monitor without the rules' sets. */
    static EndpointPacketTimes none() {
        return endpoints -> Map.of();
    }
}
