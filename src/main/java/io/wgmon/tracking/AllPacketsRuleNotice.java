package io.wgmon.tracking;

import io.wgmon.capture.WireGuardPacket;
import org.jboss.logging.Logger;

/**
 * Says once that the packet source delivers ordinary data packets (docs/operations.md): an old rule that
 * logs every packet to the WireGuard port. wgmon works with it, but each packet costs CPU for nothing;
 * handshakes from new endpoints and each session's first data packet tell everything wgmon needs
 * (docs/architecture.md#firewall).
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
                + "handshakes from new endpoints and the first packet of each session. Load wgmon's rules instead: "
                + "nft -f wgmon.nft, the file deploy/wgmon.nft for port %d and your log group (README, \"The firewall "
                + "rule\"). Said once; wgmon keeps working with this rule", source, port, port);
    }
}
