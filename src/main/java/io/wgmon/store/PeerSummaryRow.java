package io.wgmon.store;

/**
 * One peer's sessions over a window: how many overlap it, the seconds of them inside it, and their bytes
 * (closed sessions' totals; open sessions' bytes are the tracker's).
 *
 * @param name the name of the peer's latest session in the window, null when none
 */
public record PeerSummaryRow(String interfaceName, String publicKey, String name, long sessions,
                             long connectedSeconds, long rxBytes, long txBytes) {
}
