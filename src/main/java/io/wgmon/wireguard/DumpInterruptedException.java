package io.wgmon.wireguard;

/** The kernel flagged a dump as inconsistent (NLM_F_DUMP_INTR): what it dumped changed meanwhile. */
final class DumpInterruptedException extends WireGuardException {
    DumpInterruptedException(String message) {
        super(message);
    }
}
