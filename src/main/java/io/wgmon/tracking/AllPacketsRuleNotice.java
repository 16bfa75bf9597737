package io.wgmon.tracking;

import io.wgmon.capture.WireGuardPacket;
import org.jboss.logging.Logger;

/**
 * Says once that the packet source delivers ordinary data packets (docs/operations.md): an old rule that
 * logs every packet to the WireGuard port. wgmon works with it, but each packet costs CPU for nothing;
 * handshakes and each session's first data packet tell everything wgmon needs (docs/architecture.md#capture).
 */
public final class AllPacketsRuleNotice {
    private static final Logger LOG = Logger.getLogger(AllPacketsRuleNotice.class);

    private final String source;
    private boolean said;

    /** @param source the packet source as its describe() says it, e.g. "nflog group 1" */
    public AllPacketsRuleNotice(String source) {
        this.source = source;
    }

    /** Called for each packet, on the reader thread. */
    void seen(WireGuardPacket packet) {
        if (said || !packet.ordinaryData()) {
            return;
        }
        said = true;
        int port = packet.destinationPort();
        LOG.warnf("%s delivers every WireGuard data packet to port %d, which costs CPU for nothing: wgmon needs only "
                + "handshakes and the first packet of each session. Log only those, e.g. nft add rule inet wgmon input "
                + "udp dport %d udp length . @th,64,32 '{ 156 . 0x01000000, 100 . 0x02000000 }' log group N; "
                + "nft add rule inet wgmon input udp dport %d udp length '>=' 40 @th,64,32 0x04000000 @th,128,64 0 "
                + "log group N (README, \"The firewall rule\"). Said once; wgmon keeps working with this rule",
                source, port, port, port);
    }
}
