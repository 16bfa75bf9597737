package io.wgmon.config;

import io.smallrye.config.FallbackConfigSourceInterceptor;

import java.util.Map;

/**
 * The original wgmon was configured with lower-case environment variables. They still work, as
 * fallbacks: a {@code wgmon.*} key set any other way wins.
 */
public class LegacyEnvAliases extends FallbackConfigSourceInterceptor {
    static final Map<String, String> ALIASES = Map.of(
            "wgmon.webhook.url", "webhook",
            "wgmon.monitor", "monitor",
            "wgmon.nflog.group", "group",
            "wgmon.bpf.interface", "interface",
            "wgmon.bpf.filter", "filter");

    public LegacyEnvAliases() {
        super(ALIASES);
    }
}
