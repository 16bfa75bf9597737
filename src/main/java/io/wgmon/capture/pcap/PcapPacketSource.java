package io.wgmon.capture.pcap;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.capture.PacketSourceException;
import io.wgmon.capture.PacketSourceMetrics;
import io.wgmon.capture.ReaderLoop;
import io.wgmon.os.ReaderThread;
import io.wgmon.os.LibC;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The fallback when NFLOG is not available: wgmon captures the WireGuard port's traffic itself
 * with libpcap (through jnr-ffi) on one interface, with a pcap filter expression, and a
 * dedicated daemon thread emits what it captures on a hot stream.
 */
public final class PcapPacketSource implements PacketSource {
    /** Where Debian, Alpine and Fedora put libpcap. */
    public static final List<String> LIBPCAP_NAMES = LibpcapLoader.DEFAULT_NAMES;
    private static final Logger LOG = Logger.getLogger(PcapPacketSource.class);

    /**
     * Bytes captured per packet: 32 for the link header (Ethernet with two VLAN tags is 22,
     * Linux cooked SLL2 20) plus 256 from the IP header on, the budget NFLOG copies too: IPv6 (40),
     * up to 204 bytes of extension headers, UDP (8) and WireGuard's 4-byte type field. Small
     * frames let the kernel's capture ring hold thousands of packets in its default 2 MiB.
     */
    static final int SNAPLEN = 32 + 256;

    private final String interfaceName;
    private final String filter;
    private final boolean promiscuous;
    private final Clock clock;
    private final List<String> libraryNames;
    private final PacketSourceMetrics metrics;
    private final BroadcastProcessor<PacketEvent> events = BroadcastProcessor.create();
    private final ReaderThread reader;
    private PcapHandle handle;
    private boolean closed;

    /** @param libraryNames the names libpcap is looked for under, in order: {@link #LIBPCAP_NAMES} */
    public PcapPacketSource(String interfaceName, String filter, boolean promiscuous, MeterRegistry registry,
                            Clock clock, List<String> libraryNames) {
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.promiscuous = promiscuous;
        this.clock = clock;
        this.libraryNames = List.copyOf(libraryNames);
        this.metrics = new PacketSourceMetrics(registry, "bpf");
        this.reader = new ReaderThread("wgmon-pcap-reader", LOG, describe());
    }

    /**
     * Opens the capture on the calling thread: its network namespace and its CAP_NET_RAW count,
     * as pcap_activate opens the packet socket here.
     */
    @Override
    public synchronized void start() {
        if (closed || handle != null) {
            throw new IllegalStateException(describe() + " was already " + (closed ? "closed" : "started"));
        }
        Libpcap pcap = LibpcapLoader.load(libraryNames);
        PcapHandle opened = PcapHandle.open(pcap, LibC.load(), interfaceName, filter, promiscuous, SNAPLEN,
                NetworkInterfaces::names);
        ReaderLoop<CapturedFrame> loop;
        try {
            int linkType = opened.linkType();
            LinkLayer linkLayer = LinkLayer.forLinkType(linkType).orElseThrow(() -> new PacketSourceException(
                    PcapStartErrors.linkType(interfaceName, linkType, opened.linkTypeName(linkType))));
            PcapPacketParser parser = new PcapPacketParser(linkLayer, NetworkInterfaces.index(interfaceName), clock);
            loop = new ReaderLoop<>(new PcapReader(opened, opened.drops()), parser, events::onNext, metrics, clock,
                    ReaderLoop.readerBackoff(), reader::await, describe());
            LOG.infof("%s: capturing %d bytes per packet, link type %s, %s", describe(), SNAPLEN, linkLayer,
                    pcap.pcap_lib_version());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        handle = opened;
        reader.start(loop);
    }

    @Override
    public Multi<PacketEvent> packets() {
        return events;
    }

    @Override
    public synchronized boolean isReady() {
        return !closed && handle != null && !handle.isClosed() && reader.isAlive();
    }

    @Override
    public String describe() {
        return "bpf on " + interfaceName + " (" + filter + ")";
    }

    /** Wakes and joins the reader, closes the capture. Idempotent. */
    @Override
    public void close() {
        PcapHandle toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = handle;
        }
        reader.signalStop();
        if (toClose != null) {
            toClose.close();
        }
        reader.join();
        events.onComplete();
    }
}
