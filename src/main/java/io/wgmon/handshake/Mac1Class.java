package io.wgmon.handshake;

/** What an initiation's mac1 says about its sender (docs/architecture.md#failed-handshakes). */
public enum Mac1Class {
    /** Made for this interface's public key: the sender knows it (a removed peer, a misconfigured client, an old config). */
    VALID("valid"),
    /** Not made for any watched interface's key, or not a whole initiation: a scanner or garbage. */
    INVALID("invalid"),
    /** No watched interface's public key was known yet when it arrived. */
    UNCHECKED("unchecked");

    private final String label;

    Mac1Class(String label) {
        this.label = label;
    }

    /** As payloads, logs and metric tags spell it. */
    public String label() {
        return label;
    }
}
