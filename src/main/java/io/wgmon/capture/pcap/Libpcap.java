package io.wgmon.capture.pcap;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;

/**
 * The libpcap calls a live capture needs, bound through jnr-ffi. {@code pcap_t *} and the few
 * structures passed by address are plain {@link Pointer}s; error buffers are byte arrays of
 * {@link #ERRBUF_SIZE}. Load it with {@link LibpcapLoader}.
 */
public interface Libpcap {
    int ERRBUF_SIZE = 256;

    int ERROR = -1;
    int ERROR_BREAK = -2;
    int ERROR_NO_SUCH_DEVICE = -5;
    int ERROR_PERM_DENIED = -8;
    int ERROR_IFACE_NOT_UP = -9;
    int ERROR_PROMISC_PERM_DENIED = -11;

    int WARNING_PROMISC_NOTSUP = 2;

    /** bpf_u_int32 0xffffffff: no netmask known, so only "ip broadcast" cannot be compiled. */
    int NETMASK_UNKNOWN = 0xffffffff;

    Pointer pcap_create(String source, @Out byte[] errbuf);

    int pcap_set_snaplen(Pointer pcap, int snaplen);

    int pcap_set_promisc(Pointer pcap, int promiscuous);

    int pcap_set_immediate_mode(Pointer pcap, int immediate);

    int pcap_set_timeout(Pointer pcap, int millis);

    /** 0 on success, a positive warning, or a negative PCAP_ERROR_* code. */
    int pcap_activate(Pointer pcap);

    String pcap_geterr(Pointer pcap);

    String pcap_statustostr(int status);

    /** {@code program} points to a {@code struct bpf_program} {u_int bf_len; struct bpf_insn *bf_insns}. */
    int pcap_compile(Pointer pcap, Pointer program, String expression, int optimize, int netmask);

    int pcap_setfilter(Pointer pcap, Pointer program);

    void pcap_freecode(Pointer program);

    int pcap_datalink(Pointer pcap);

    /** Null for a link type libpcap has no name for. */
    String pcap_datalink_val_to_name(int linkType);

    int pcap_setnonblock(Pointer pcap, int nonblock, @Out byte[] errbuf);

    int pcap_get_selectable_fd(Pointer pcap);

    /**
     * 1 with a packet, 0 when none is waiting (non-blocking), negative on error. {@code header}
     * and {@code data} point to pointer-sized slots that receive the addresses of the
     * {@code struct pcap_pkthdr} and the packet bytes, valid until the next call.
     */
    int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

    /** {@code stats} points to a {@code struct pcap_stat} {u_int ps_recv, ps_drop, ps_ifdrop}. */
    int pcap_stats(Pointer pcap, Pointer stats);

    void pcap_close(Pointer pcap);

    String pcap_lib_version();
}
