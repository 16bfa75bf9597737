package io.wgmon.store;

/** A {@code peer_state} row's key. */
public record PeerStateKey(String interfaceName, String publicKey) {
}
