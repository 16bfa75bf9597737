package io.wgmon.handshake;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One report of handshake initiations from one source address that no session followed
 * (docs/architecture.md#failed-handshakes): the first after {@link FailedHandshakes#COMPLETION_GRACE}, then at
 * most one per window with what came since.
 *
 * @param lastSourcePort     the UDP source port of the last initiation
 * @param destinationPort    the WireGuard port they were sent to
 * @param mac1               {@link Mac1Class#VALID} if any of them had a valid mac1, else the others' class
 * @param validMac1          initiations counted with a valid mac1
 * @param invalidMac1        with an invalid one
 * @param unchecked          that arrived before any interface's public key was known
 * @param foldedSources      other sources since the last report that were not reported one by one (the table was
 *                           full or the report budget spent)
 */
public record HandshakeFailure(
        InetAddress source,
        int lastSourcePort,
        int destinationPort,
        Mac1Class mac1,
        long validMac1,
        long invalidMac1,
        long unchecked,
        Instant firstAttempt,
        Instant lastAttempt,
        long foldedSources) {

    public long attempts() {
        return validMac1 + invalidMac1 + unchecked;
    }
}
