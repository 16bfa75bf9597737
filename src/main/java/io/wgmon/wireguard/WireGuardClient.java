package io.wgmon.wireguard;

import java.util.List;
import java.util.Set;

/**
 * One way of talking to WireGuard (kernel generic netlink, or userspace UAPI sockets), in the
 * manner of wgctrl-go: list the interfaces, read one device (docs/architecture.md#wireguard).
 */
public interface WireGuardClient extends AutoCloseable {

    /** "kernel" or "userspace", for logs and readiness. */
    String backendName();

    /** Names of the WireGuard interfaces this backend can see right now. */
    List<String> interfaceNames() throws WireGuardException;

    /**
     * Those of {@code among} that this backend can see right now, in the order of {@link #interfaceNames()}:
     * a scan of the configured interfaces only. A backend that can look a name up without listing every
     * interface overrides it.
     */
    default List<String> interfaceNames(Set<String> among) throws WireGuardException {
        return interfaceNames().stream().filter(among::contains).toList();
    }

    /**
     * Reads one device with all its peers.
     *
     * @throws WireGuardException NO_SUCH_DEVICE when the interface does not exist (any more); another
     *                            reason for anything else: permission, malformed reply, timeout
     */
    Device device(String name) throws WireGuardException;

    @Override
    default void close() {
    }
}
