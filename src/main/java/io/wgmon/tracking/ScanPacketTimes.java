package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.wgmon.capture.EndpointPackets;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The last packet from each endpoint, for the tracker to date the rx growth a scan finds
 * (docs/architecture.md#deadlines): the later of the capture's last data packet ({@link LastPacketTimes}, only
 * with a rule that logs every packet) and the kernel's last packet (the rules' seen sets). On the scan thread.
 * The kernel is read only when the tracker asks, once per endpoint and scan; past {@link #SINGLE_READS} endpoints
 * in one scan, every endpoint connected before the scan is read at once (the sets dumped, not read one by one).
 */
public final class ScanPacketTimes implements Function<InetSocketAddress, Instant> {
    static final int SINGLE_READS = 16;

    private final Function<InetSocketAddress, Instant> captured;
    private final EndpointPacketTimes kernel;
    private final Map<InetSocketAddress, Instant> read = new HashMap<>();
    private Set<InetSocketAddress> connected = Set.of();
    private int reads;
    private boolean allRead;

    public ScanPacketTimes(Function<InetSocketAddress, Instant> captured, EndpointPacketTimes kernel) {
        this.captured = captured;
        this.kernel = kernel;
    }

    /** As a scan begins: forgets the last scan's reads. {@code connected}: the endpoints connected before it. */
    void newScan(Set<InetSocketAddress> connected) {
        this.connected = connected;
        read.clear();
        reads = 0;
        allRead = false;
    }

    /** Whether this scan read a kernel time for {@code endpoint}: rx growth there was dated by a packet. */
    boolean dated(InetSocketAddress endpoint) {
        return endpoint != null && read.get(endpoint) != null;
    }

    /** The last packet seen from {@code endpoint}, null if none. */
    @Override
    public Instant apply(InetSocketAddress endpoint) {
        if (endpoint == null) {
            return null;
        }
        Instant fromCapture = captured.apply(endpoint);
        Instant fromKernel = kernelTime(endpoint);
        if (fromCapture == null) {
            return fromKernel;
        }
        return fromKernel == null || fromCapture.isAfter(fromKernel) ? fromCapture : fromKernel;
    }

    private Instant kernelTime(InetSocketAddress endpoint) {
        if (read.containsKey(endpoint) || allRead) {
            return read.get(endpoint);
        }
        if (reads++ < SINGLE_READS) {
            take(List.of(endpoint));
        } else {
            allRead = true;
            Set<InetSocketAddress> all = new HashSet<>(connected);
            all.add(endpoint);
            take(all);
        }
        return read.get(endpoint);
    }

    private void take(Collection<InetSocketAddress> endpoints) {
        Map<InetSocketAddress, EndpointPackets> times = kernel.read(endpoints);
        for (InetSocketAddress endpoint : endpoints) {
            EndpointPackets packets = times.get(endpoint);
            read.put(endpoint, packets == null ? null : packets.lastIn());
        }
    }
}
