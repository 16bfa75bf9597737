package io.wgmon.deploy;

import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.quarkus.vertx.http.runtime.management.ManagementConfig;
import io.smallrye.config.ConfigMappings;
import io.wgmon.config.WgmonConfig;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configuration keys the application declares, read from its {@code @ConfigMapping} interfaces
 * by SmallRye's own reflection (method names in kebab-case, {@code @WithName}, nested groups, maps as
 * {@code *}, list elements as {@code [*]}), so the set follows the interfaces as keys are added.
 */
record ConfigKeys(Set<String> keys) {

    /** wgmon's keys plus the only Quarkus ones the manifests set, {@code quarkus.http.*} and {@code quarkus.management.*}. */
    static ConfigKeys declaredByApplication() {
        return of(Map.of(WgmonConfig.class, "wgmon", VertxHttpConfig.class, "quarkus.http",
                ManagementConfig.class, "quarkus.management"));
    }

    static ConfigKeys of(Map<Class<?>, String> mappingsByPrefix) {
        Set<String> keys = new TreeSet<>();
        mappingsByPrefix.forEach((mapping, prefix) -> keys.addAll(
                ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix)).keySet()));
        return new ConfigKeys(Set.copyOf(keys));
    }

    /** Whether an environment variable sets one of the keys (SmallRye: non-alphanumerics as '_', upper case). */
    boolean knowsEnv(String name) {
        return keys.stream().anyMatch(key -> envPattern(key).matcher(name).matches());
    }

    static Pattern envPattern(String key) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (key.startsWith("[*]", i)) {
                regex.append("_[0-9]+_");
                i += 2;
            } else if (c == '*') {
                regex.append("[A-Z0-9_]+");
            } else if (Character.isLetterOrDigit(c)) {
                regex.append(Character.toUpperCase(c));
            } else {
                regex.append('_');
            }
        }
        return Pattern.compile(regex.toString());
    }
}
