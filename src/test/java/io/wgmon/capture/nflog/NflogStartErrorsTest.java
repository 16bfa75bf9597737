package io.wgmon.capture.nflog;

import io.wgmon.capture.PacketSourceException;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.os.Errno;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NflogStartErrorsTest {
    private static final String BUSY = "NFLOG group 7 is held by another process in this network namespace"
            + " (e.g. a leftover `tcpdump -i nflog:7`); stop it or choose another group with wgmon.nflog.group";

    @Test
    void ebusyNamesTheGroupTheLikelyCulpritAndTheKey() {
        assertEquals(BUSY, NflogStartErrors.message(7, "binding the group", Errno.EBUSY, "x", Optional.empty()));
    }

    @Test
    void epermWhileHoldingNetAdminMeansTheGroupIsTaken() {
        assertEquals(BUSY, NflogStartErrors.message(7, "binding the group", Errno.EPERM, "x", Optional.of(true)));
    }

    @Test
    void epermWithoutNetAdminAsksForTheCapability() {
        assertEquals("binding NFLOG group 7 needs CAP_NET_ADMIN (run as root or add the NET_ADMIN capability)",
                NflogStartErrors.message(7, "binding the group", Errno.EPERM, "x", Optional.of(false)));
    }

    @Test
    void epermWhenCapabilitiesAreUnknownNamesBothCauses() {
        String message = NflogStartErrors.message(7, "binding the group", Errno.EPERM, "x", Optional.empty());
        assertTrue(message.contains("CAP_NET_ADMIN"), message);
        assertTrue(message.contains("tcpdump -i nflog:7"), message);
        assertTrue(message.contains("wgmon.nflog.group"), message);
    }

    @Test
    void otherErrorsNameTheStepAndErrno() {
        NetlinkException cause = NetlinkException.refused("netlink request type 0x401", Errno.ENOENT);
        PacketSourceException e = NflogStartErrors.of(3, "binding the group", cause, Optional.of(true));
        assertEquals("cannot start NFLOG group 3 (binding the group): netlink request type 0x401:"
                + " ENOENT (No such file or directory)", e.getMessage());
        assertSame(cause, e.getCause());
        assertFalse(e.getMessage().contains("\n"));
    }
}
