package io.wgmon.capture;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;

/**
 * The kernel's last packet times of endpoints (the firewall rules' seen and sent sets,
 * docs/architecture.md#deadlines), read on the scan thread.
 */
public interface EndpointPacketTimes {
    /**
     * For each endpoint asked, its last inbound and outbound packet times; endpoints with neither are left out.
     * Never throws: on a failure it returns what it could, possibly nothing. May block up to a short reply timeout.
     */
    Map<InetSocketAddress, EndpointPackets> read(Collection<InetSocketAddress> endpoints);

    /** No times at all: a capture without the rules' sets (bpf). */
    static EndpointPacketTimes none() {
        return endpoints -> Map.of();
    }
}
