package io.wgmon.wireguard.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.wireguard.WireGuardException;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any datagram as the reply to the {@code RTM_GETLINK} dump, through the same reply reader the
 * socket uses: names or a {@link WireGuardException} with one of the reasons the request maps
 * kernel answers to, nothing else (docs/architecture.md#packages, docs/architecture.md#wireguard).
 */
class WireGuardLinkDumpFuzzIT {
    static final int SEQUENCE = 7;
    private static final Set<WireGuardException.Reason> ALLOWED = Set.of(WireGuardException.Reason.MALFORMED_REPLY,
            WireGuardException.Reason.REFUSED, WireGuardException.Reason.PERMISSION_DENIED,
            WireGuardException.Reason.DUMP_INTERRUPTED);

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] datagram) {
        ReplyDriver.fuzz(datagram, new WireGuardLinkDump(), SEQUENCE, ALLOWED,
                names -> names.forEach(name -> assertNotNull(name)));
    }
}
