package io.wgmon.wireguard.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.wireguard.WireGuardException;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any datagram as the reply to the {@code RTM_GETLINK} dump, through the same reply reader the
 * socket uses: names or a {@link WireGuardException} with one of the reasons the request maps
 * kernel answers to, nothing else (docs/architecture.md §2, §6).
 */
class WireGuardLinkDumpFuzzIT {
    static final int SEQUENCE = 7;
    private static final Set<WireGuardException.Reason> ALLOWED = Set.of(WireGuardException.Reason.MALFORMED_REPLY,
            WireGuardException.Reason.REFUSED, WireGuardException.Reason.PERMISSION_DENIED,
            WireGuardException.Reason.DUMP_INTERRUPTED);

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] datagram) {
        Optional<List<NetlinkMessage>> framed = ReplyDriver.framed(datagram);
        if (framed.isEmpty()) {
            return;
        }
        List<NetlinkMessage> messages = framed.get();
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQUENCE);
        try {
            if (dump.accept(messages)) {
                for (String name : dump.result()) {
                    assertNotNull(name);
                }
            }
        } catch (WireGuardException e) {
            assertTrue(ALLOWED.contains(e.reason()), () -> "reason " + e.reason());
            assertNotNull(e.getMessage());
        }
    }
}
