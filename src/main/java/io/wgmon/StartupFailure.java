package io.wgmon;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A start-up problem the operator must fix (bad setting, group taken, missing capability).
 * Quarkus prints the message of a {@link ConfigurationException} as one line, without a stack
 * trace, and exits non-zero.
 */
public class StartupFailure extends ConfigurationException {
    public StartupFailure(String message) {
        super(message);
    }
}
