package io.wgmon.tracking;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which quota applies to a peer: the one set for its public key, else for its friendly name, else the
 * one set for every peer ({@code default}); none when none is set.
 */
public final class QuotaRules {
    /** The name of the quota every peer without its own gets. */
    public static final String DEFAULT = "default";

    private final Map<String, QuotaRule> rules;

    /** @param rules by public key, friendly name, or {@link #DEFAULT} */
    public QuotaRules(Map<String, QuotaRule> rules) {
        this.rules = Map.copyOf(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    Optional<QuotaRule> of(PeerKey key, String name) {
        QuotaRule rule = rules.get(key.publicKey());
        if (rule == null && name != null) {
            rule = rules.get(name);
        }
        return Optional.ofNullable(rule == null ? rules.get(DEFAULT) : rule);
    }

    /** The distinct periods of the rules. */
    Set<QuotaPeriod> periods() {
        return rules.values().stream().map(QuotaRule::period).collect(Collectors.toSet());
    }
}
