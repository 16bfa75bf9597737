package io.wgmon.wireguard;

/**
 * A userspace WireGuard daemon answered with something that is not a well-formed UAPI reply.
 * The message names the line and the key, never a value: a value may be key material.
 */
public class UapiProtocolException extends WireGuardException {
    private final int line;
    private final String key;

    /**
     * @param line 1-based line number in the reply
     * @param key  the UAPI key of that line, or null when the line has none
     */
    public UapiProtocolException(String deviceName, int line, String key, String problem) {
        super(deviceName + ": malformed UAPI reply at line " + line
                + (key == null ? "" : " (" + key + ")") + ": " + problem);
        this.line = line;
        this.key = key;
    }

    public int line() {
        return line;
    }

    /** The key of the offending line, null when the line had none or the reply ended early. */
    public String key() {
        return key;
    }
}
