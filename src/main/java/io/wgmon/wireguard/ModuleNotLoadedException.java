package io.wgmon.wireguard;

/**
 * The generic netlink family "wireguard" does not exist: the module is not loaded, or it was
 * unloaded (or reloaded under a new family id) since the id was looked up.
 */
final class ModuleNotLoadedException extends WireGuardException {
    ModuleNotLoadedException(String detail) {
        super("the wireguard kernel module is not loaded" + detail);
    }
}
