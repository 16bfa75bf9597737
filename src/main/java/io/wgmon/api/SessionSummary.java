package io.wgmon.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** Per peer, its sessions overlapping [from, to): how many, connected seconds inside the window, bytes. */
public record SessionSummary(Instant from, Instant to, List<PeerTotals> peers) {

    public record PeerTotals(@JsonProperty("interface") String interfaceName, String publicKey, String name,
                             long sessions, long connectedSeconds, long rxBytes, long txBytes) {
    }
}
