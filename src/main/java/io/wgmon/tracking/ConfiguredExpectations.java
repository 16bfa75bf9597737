package io.wgmon.tracking;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Expectations from the names files and from {@code wgmon.expect.*} (docs/architecture.md#expectations): a
 * peer is always-on or roaming when its file marks it so or the setting lists its public key or its
 * current friendly name. A file's grace wins; else {@code wgmon.expect.grace}.
 */
public final class ConfiguredExpectations implements PeerExpectations {
    private final Supplier<Map<String, Expectation>> marked;
    private final PeerNames names;
    private final Set<String> alwaysOn;
    private final Set<String> roaming;
    private final Duration grace;

    /** @param marked the files' expectations by public key, as they are now (their grace null where none was given) */
    public ConfiguredExpectations(Supplier<Map<String, Expectation>> marked, PeerNames names, Set<String> alwaysOn,
                                  Set<String> roaming, Duration grace) {
        this.marked = marked;
        this.names = names;
        this.alwaysOn = Set.copyOf(alwaysOn);
        this.roaming = Set.copyOf(roaming);
        this.grace = grace;
    }

    @Override
    public Expectation of(PeerKey key) {
        String name = alwaysOn.isEmpty() && roaming.isEmpty() ? null : names.nameOf(key);
        boolean on = listed(alwaysOn, key, name);
        Expectation configured = new Expectation(on, on ? grace : Duration.ZERO, listed(roaming, key, name));
        Expectation file = marked.get().get(key.publicKey());
        if (file == null) {
            return configured;
        }
        if (file.alwaysOn() && file.grace() == null) {
            file = new Expectation(true, grace, file.roaming());
        }
        return file.with(configured);
    }

    @Override
    public boolean anyAlwaysOn() {
        return !alwaysOn.isEmpty() || marked.get().values().stream().anyMatch(Expectation::alwaysOn);
    }

    private static boolean listed(Set<String> listed, PeerKey key, String name) {
        return listed.contains(key.publicKey()) || name != null && listed.contains(name);
    }
}
