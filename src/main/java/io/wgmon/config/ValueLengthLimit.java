package io.wgmon.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Refuses a {@code wgmon.*} value longer than {@link #MAX_LENGTH} characters before anything
 * converts, logs or keeps it (docs/architecture.md#config): a 10 MB setting would otherwise end in a
 * 20 MB log line or an OutOfMemoryError. The message names the key and the length and quotes only
 * the value's start, and of a secret nothing, of a URL its scheme and host ({@link SecretValues}).
 */
@Priority(Priorities.LIBRARY + 1000)
public class ValueLengthLimit implements ConfigSourceInterceptor {
    /** Longer than any URL, token, header value, path or filter an operator writes. */
    public static final int MAX_LENGTH = 8192;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null && value.getValue() != null && value.getValue().length() > MAX_LENGTH
                && name.startsWith("wgmon.")) {
            String quotable = SecretValues.quotable(name, value.getValue().substring(0, ConfigCheck.QUOTED));
            throw new IllegalArgumentException(name + " has a value of " + value.getValue().length()
                    + " characters, which is not allowed: at most " + MAX_LENGTH
                    + (quotable == null ? " (a secret: not quoted)" : " (it starts '" + quotable + "...')"));
        }
        return value;
    }
}
