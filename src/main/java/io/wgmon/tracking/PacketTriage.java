package io.wgmon.tracking;

import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.handshake.HandshakeFailureWatch;

import java.net.InetAddress;

/**
 * What one captured packet does, on the reader thread (docs/architecture.md#scan-decisions): it dates
 * activity and completed handshakes, and asks for a scan when the {@link ScanTrigger} says so, at once for a
 * completed handshake, later for an initiation whose session's first packet may not come.
 */
public final class PacketTriage {
    private final LastPacketTimes lastPackets;
    private final SessionStartTimes sessionStarts;
    private final AllPacketsRuleNotice allPacketsNotice;
    private final ScanTrigger trigger;
    private final HandshakeFallback fallback;
    private final ScanRequests requests;
    private final HandshakeFailureWatch failedHandshakes;
    private final MissingRuleDiagnosis ruleDiagnosis;

    /**
     * @param lastPackets   the same instance the tracker dates rx growth with
     * @param sessionStarts the same instance the peer deadlines read
     * @param failedHandshakes sees every packet too: initiations no session follows (docs/architecture.md#failed-handshakes)
     */
    public PacketTriage(LastPacketTimes lastPackets, SessionStartTimes sessionStarts,
                        AllPacketsRuleNotice allPacketsNotice, ScanTrigger trigger, HandshakeFallback fallback,
                        ScanRequests requests, HandshakeFailureWatch failedHandshakes,
                        MissingRuleDiagnosis ruleDiagnosis) {
        this.lastPackets = lastPackets;
        this.sessionStarts = sessionStarts;
        this.allPacketsNotice = allPacketsNotice;
        this.trigger = trigger;
        this.fallback = fallback;
        this.requests = requests;
        this.failedHandshakes = failedHandshakes;
        this.ruleDiagnosis = ruleDiagnosis;
    }

    void onPacket(PacketEvent packet) {
        lastPackets.record(packet);
        sessionStarts.record(packet);
        failedHandshakes.onPacket(packet);
        if (packet instanceof WireGuardPacket wireGuardPacket) {
            allPacketsNotice.seen(wireGuardPacket);
            ruleDiagnosis.seen(wireGuardPacket);
        }
        switch (trigger.decide(packet)) {
            case URGENT_SCAN -> {
                fallback.completed();
                requests.request(ScanCause.URGENT);
            }
            case AWAIT_SESSION -> fallback.initiated();
            case SCAN -> requests.request(packet instanceof PacketsLost ? ScanCause.RECOVERY : ScanCause.PACKET);
            case NONE -> {
            }
        }
    }

    /** A scan found a peer connecting from this address: its urgent requests were deserved. */
    void connected(InetAddress address) {
        trigger.connected(address);
        failedHandshakes.connected(address);
    }

    void close() {
        fallback.close();
        failedHandshakes.close();
    }
}
