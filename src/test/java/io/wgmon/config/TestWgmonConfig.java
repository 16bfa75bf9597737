package io.wgmon.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.Map;

/** {@link WgmonConfig} mapped from properties by SmallRye, the engine behind Quarkus' @ConfigMapping. */
public final class TestWgmonConfig {
    private TestWgmonConfig() {
    }

    public static WgmonConfig of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WgmonConfig.class)
                .withInterceptors(new LegacyEnvAliases())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(WgmonConfig.class);
    }
}
