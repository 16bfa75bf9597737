package io.wgmon.wireguard.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.wireguard.WireGuardException;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any datagram as the generic netlink controller's reply to {@code CTRL_CMD_GETFAMILY}, through
 * the same reply reader the socket uses: a family id in 1..65535, or a {@link WireGuardException}
 * with one of the reasons the lookup maps kernel answers to, nothing else (docs/architecture.md#packages, docs/architecture.md#wireguard).
 */
class FamilyLookupFuzzIT {
    static final int SEQUENCE = 7;
    private static final Set<WireGuardException.Reason> ALLOWED = Set.of(WireGuardException.Reason.MALFORMED_REPLY,
            WireGuardException.Reason.REFUSED, WireGuardException.Reason.MODULE_NOT_LOADED,
            WireGuardException.Reason.PERMISSION_DENIED, WireGuardException.Reason.DUMP_INTERRUPTED);

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] datagram) {
        ReplyDriver.fuzz(datagram, new FamilyLookup("wireguard"), SEQUENCE, ALLOWED,
                id -> assertTrue(id > 0 && id <= 0xffff, () -> "family id " + id));
    }
}
