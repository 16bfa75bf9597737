package io.wgmon.capture.pcap;

import io.wgmon.capture.CaptureClosedException;
import io.wgmon.capture.CaptureException;
import io.wgmon.capture.PacketSourceException;
import io.wgmon.os.LibC;
import io.wgmon.os.Errno;
import io.wgmon.os.OsException;
import io.wgmon.os.ReadinessWaiter;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * A live, activated, filtered libpcap capture in non-blocking mode. One thread reads
 * ({@link #awaitFrames()}, {@link #next()}, {@link #drops()}); {@link #close()} may be called
 * from any thread.
 *
 * <p>Waiting is our own poll(2) on pcap_get_selectable_fd and an eventfd (a {@link ReadinessWaiter})
 * rather than a blocking pcap_next_ex/pcap_dispatch ended by pcap_breakloop: on Linux,
 * pcap_breakloop wakes a blocked reader only since libpcap 1.10, and pcap_close under a thread
 * still inside libpcap is a use-after-free. With poll, an idle reader sleeps in the kernel, close() wakes it through the
 * eventfd on every libpcap version, and a read/write lock keeps pcap_close until the reader has
 * left libpcap. Immediate mode makes libpcap use TPACKET_V2 on Linux, where the descriptor turns
 * readable for each packet (with TPACKET_V3 it would wait for a full block or its timeout).
 */
final class PcapHandle implements Capture, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PcapHandle.class);

    /** Ignored in immediate mode; bounds the delay should a libpcap build fall back to buffering. */
    private static final int BUFFER_TIMEOUT_MILLIS = 100;
    private static final int PS_DROP_OFFSET = 4;

    private final Libpcap pcap;
    private final Pointer handle;
    private final int selectableFd;
    private final ReadinessWaiter readiness;
    private final int longSize;
    private final Pointer headerSlot;
    private final Pointer dataSlot;
    private final Pointer stats;
    private final byte[] frameBuffer;

    private PcapHandle(Libpcap pcap, Pointer handle, int selectableFd, ReadinessWaiter readiness, int snaplen) {
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(pcap);
        this.pcap = pcap;
        this.handle = handle;
        this.selectableFd = selectableFd;
        this.readiness = readiness;
        this.longSize = runtime.longSize();
        this.headerSlot = Memory.allocateDirect(runtime, runtime.addressSize());
        this.dataSlot = Memory.allocateDirect(runtime, runtime.addressSize());
        this.stats = Memory.allocateDirect(runtime, 16);
        this.frameBuffer = new byte[snaplen];
    }

    /**
     * Creates, activates and filters a capture on the calling thread (whose network namespace
     * and capabilities count: activation opens the packet socket).
     *
     * @param interfaces lists this namespace's interfaces, for the error about a missing one
     * @throws PacketSourceException with a one-line reason
     */
    static PcapHandle open(Libpcap pcap, LibC libc, String interfaceName, String filter, boolean promiscuous,
                           int snaplen, Supplier<List<String>> interfaces) {
        byte[] errbuf = new byte[Libpcap.ERRBUF_SIZE];
        Pointer handle = pcap.pcap_create(interfaceName, errbuf);
        if (handle == null) {
            throw new PacketSourceException(PcapStartErrors.step(interfaceName, "pcap_create", text(errbuf)));
        }
        try {
            setting(pcap, interfaceName, "pcap_set_snaplen", pcap.pcap_set_snaplen(handle, snaplen));
            setting(pcap, interfaceName, "pcap_set_promisc", pcap.pcap_set_promisc(handle, promiscuous ? 1 : 0));
            setting(pcap, interfaceName, "pcap_set_immediate_mode", pcap.pcap_set_immediate_mode(handle, 1));
            setting(pcap, interfaceName, "pcap_set_timeout", pcap.pcap_set_timeout(handle, BUFFER_TIMEOUT_MILLIS));
            activate(pcap, handle, interfaceName, interfaces);
            applyFilter(pcap, handle, interfaceName, filter);
            if (pcap.pcap_setnonblock(handle, 1, errbuf) < 0) {
                throw new PacketSourceException(PcapStartErrors.step(interfaceName, "pcap_setnonblock", text(errbuf)));
            }
            int selectableFd = pcap.pcap_get_selectable_fd(handle);
            if (selectableFd < 0) {
                throw new PacketSourceException(PcapStartErrors.step(interfaceName, "pcap_get_selectable_fd",
                        "this capture cannot be waited on with poll"));
            }
            ReadinessWaiter readiness;
            try {
                readiness = ReadinessWaiter.open(libc);
            } catch (OsException e) {
                throw new PacketSourceException(PcapStartErrors.step(interfaceName, "eventfd", Errno.describe(e.errno())));
            }
            return new PcapHandle(pcap, handle, selectableFd, readiness, snaplen);
        } catch (RuntimeException e) {
            pcap.pcap_close(handle);
            throw e;
        }
    }

    int linkType() {
        return withHandle(() -> pcap.pcap_datalink(handle));
    }

    String linkTypeName(int linkType) {
        return pcap.pcap_datalink_val_to_name(linkType);
    }

    @Override
    public void awaitFrames() {
        withHandle(() -> {
            boolean readable;
            try {
                readable = readiness.awaitReadable(selectableFd);
            } catch (OsException e) {
                throw new CaptureException(e.getMessage());
            }
            if (!readable) {
                throw new CaptureClosedException();
            }
            // readable, or an error condition that the next read reports
            return null;
        });
    }

    @Override
    public CapturedFrame next() {
        return withHandle(() -> {
            int result = pcap.pcap_next_ex(handle, headerSlot, dataSlot);
            if (result == 0 || result == Libpcap.ERROR_BREAK) {
                return null;
            }
            if (result < 0) {
                throw new CaptureException("pcap_next_ex: " + pcap.pcap_geterr(handle));
            }
            Pointer header = headerSlot.getPointer(0);
            long seconds = header.getNativeLong(0);
            long micros = header.getNativeLong(longSize);
            int captured = Math.min(header.getInt(2L * longSize), frameBuffer.length);
            dataSlot.getPointer(0).get(0, frameBuffer, 0, captured);
            return new CapturedFrame(seconds, micros, ByteBuffer.wrap(frameBuffer, 0, captured).slice());
        });
    }

    @Override
    public long drops() {
        return withHandle(() -> {
            if (pcap.pcap_stats(handle, stats) < 0) {
                throw new CaptureException("pcap_stats: " + pcap.pcap_geterr(handle));
            }
            return Integer.toUnsignedLong(stats.getInt(PS_DROP_OFFSET));
        });
    }

    boolean isClosed() {
        return readiness.isClosed();
    }

    /** Wakes a waiting reader, waits until it has left libpcap, then closes. Idempotent. */
    @Override
    public void close() {
        readiness.close(() -> pcap.pcap_close(handle));
    }

    private <T> T withHandle(Supplier<T> call) {
        return readiness.whileOpen(call, CaptureClosedException::new);
    }

    private static void activate(Libpcap pcap, Pointer handle, String interfaceName,
                                 Supplier<List<String>> interfaces) {
        int status = pcap.pcap_activate(handle);
        if (status < 0) {
            throw new PacketSourceException(PcapStartErrors.activation(interfaceName, status,
                    pcap.pcap_statustostr(status), pcap.pcap_geterr(handle),
                    status == Libpcap.ERROR_NO_SUCH_DEVICE ? interfaces.get() : List.of()));
        }
        if (status > 0) {
            LOG.warnf("capture on '%s': %s (%s)", interfaceName, pcap.pcap_statustostr(status),
                    pcap.pcap_geterr(handle));
        }
    }

    private static void applyFilter(Libpcap pcap, Pointer handle, String interfaceName, String filter) {
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(pcap);
        // struct bpf_program: u_int bf_len, padded to pointer alignment, then struct bpf_insn *
        Pointer program = Memory.allocateDirect(runtime, 2L * runtime.addressSize());
        if (pcap.pcap_compile(handle, program, filter, 1, Libpcap.NETMASK_UNKNOWN) < 0) {
            throw new PacketSourceException(PcapStartErrors.filter(filter, pcap.pcap_geterr(handle)));
        }
        try {
            if (pcap.pcap_setfilter(handle, program) < 0) {
                throw new PacketSourceException(PcapStartErrors.step(interfaceName, "pcap_setfilter '" + filter + "'",
                        pcap.pcap_geterr(handle)));
            }
        } finally {
            pcap.pcap_freecode(program);
        }
    }

    private static void setting(Libpcap pcap, String interfaceName, String call, int status) {
        if (status != 0) {
            throw new PacketSourceException(PcapStartErrors.step(interfaceName, call, pcap.pcap_statustostr(status)));
        }
    }

    private static String text(byte[] errbuf) {
        int end = 0;
        while (end < errbuf.length && errbuf[end] != 0) {
            end++;
        }
        return new String(errbuf, 0, end, StandardCharsets.UTF_8);
    }
}
