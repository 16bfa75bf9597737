package io.wgmon.wireguard;

/**
 * How large one device reply (a UAPI {@code get=1} answer, a {@code WG_CMD_GET_DEVICE} dump) may
 * be, in bytes read and in what it makes wgmon keep: peers and allowed IPs. The limits follow the
 * heap, so a socket that streams an endless valid-looking peer list fails one read with TOO_LARGE
 * instead of running the heap out (docs/architecture.md#wireguard).
 *
 * <p>{@link #forHeap}: peers may take half the heap at {@value #PEER_COST_BYTES} bytes each, the
 * whole footprint of a peer in wgmon (the parsed {@code Peer}: record, key string, endpoint,
 * handshake time, list; the previous scan's copy, the tracker's state and the garbage of repeated
 * scans make up the rest; docs/benchmarks.md#profiles-behind-code-choices).
 * Allowed IPs may take an eighth of the heap at {@value #ALLOWED_IP_COST_BYTES} bytes each (a short
 * string and its list slot, twice, with room). A hostile reply that runs up to both limits holds
 * about a sixth of the heap when it is refused. The byte cap bounds the work of one read: a quarter of
 * the heap, from 1 MiB to 64 MiB. The genl parser works on the reply as it arrives; the UAPI client
 * receives a reply of up to half the cap whole and keeps its bytes (secrets zeroed) for the next read to
 * compare with, at most two replies' worth per device, dropped when a read fails; a larger reply is
 * parsed as it arrives and not kept.
 *
 * @param maxBytes      bytes one reply may have
 * @param maxPeers      peers one reply may describe
 * @param maxAllowedIps allowed IPs of all its peers together
 */
public record ReplyLimits(long maxBytes, int maxPeers, int maxAllowedIps) {
    public static final long PEER_COST_BYTES = 2048;
    public static final long ALLOWED_IP_COST_BYTES = 128;
    static final long MIN_BYTES = 1L << 20;
    static final long MAX_BYTES = 64L << 20;

    public ReplyLimits {
        if (maxBytes < 1 || maxPeers < 1 || maxAllowedIps < 1) {
            throw new IllegalArgumentException("reply limits must be positive: " + maxBytes + " bytes, "
                    + maxPeers + " peers, " + maxAllowedIps + " allowed IPs");
        }
    }

    /** The limits for this JVM's heap ({@link Runtime#maxMemory()}). */
    public static ReplyLimits forThisHeap() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }

    public static ReplyLimits forHeap(long maxHeapBytes) {
        return new ReplyLimits(
                Math.max(MIN_BYTES, Math.min(MAX_BYTES, maxHeapBytes / 4)),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / 2 / PEER_COST_BYTES)),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / 8 / ALLOWED_IP_COST_BYTES)));
    }

    /** A fresh count for one reply; {@code source} names it in messages, e.g. "wg0: UAPI reply on /run/wireguard/wg0.sock". */
    public ReplyBudget budget(String source) {
        return new ReplyBudget(this, source);
    }
}
