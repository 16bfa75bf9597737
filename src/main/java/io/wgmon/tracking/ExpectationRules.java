package io.wgmon.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The operator's expectations over the scans (docs/architecture.md#expectations): always-on peers
 * ({@link AlwaysOnWatch}) and traffic quotas ({@link QuotaWatch}), remembered in an {@link ExpectationStore}.
 * On the scan thread, but {@link #nextDue}, {@link #down} and {@link #quotaReached}.
 */
public final class ExpectationRules {
    private final AlwaysOnWatch alwaysOn;
    private final QuotaWatch quotas;
    private final ExpectationStore store;
    private final Supplier<Instant> clock;

    /** @param clock the time at start-up, for the periods whose ended sessions are read then */
    public ExpectationRules(AlwaysOnWatch alwaysOn, QuotaWatch quotas, ExpectationStore store, Supplier<Instant> clock) {
        this.alwaysOn = alwaysOn;
        this.quotas = quotas;
        this.store = store;
        this.clock = clock;
    }

    /** No expectations: no peer is always-on, no quota is set. */
    public static ExpectationRules none() {
        return new ExpectationRules(new AlwaysOnWatch("", PeerNames.none(), PeerExpectations.none(), UUID::randomUUID),
                new QuotaWatch("", PeerNames.none(), new QuotaRules(Map.of()), UUID::randomUUID), ExpectationStore.none(),
                Instant::now);
    }

    /** Before the first scan; may block. */
    void restore() {
        alwaysOn.restore(store.downs());
        quotas.restore(store.reached(), store::endedSince, clock.get());
    }

    /** {@code reported} with this scan's down, up and quota events after them; {@code tracked} the tracker's own. */
    List<PeerEvent> apply(List<PeerEvent> tracked, List<PeerEvent> reported, Instant now, List<PeerState> peers) {
        List<PeerEvent> out = new ArrayList<>(reported);
        out.addAll(alwaysOn.apply(now, peers));
        out.addAll(quotas.apply(tracked, now, peers));
        store.save(alwaysOn.drainDown(), alwaysOn.drainUp(), quotas.drainChanged());
        return out;
    }

    /** When an always-on peer's grace runs out next. */
    Optional<Instant> nextDue() {
        return alwaysOn.nextDue();
    }

    /** Always-on peers reported down and not up since. */
    public Set<PeerKey> down() {
        return alwaysOn.down();
    }

    /** Each peer's highest quota threshold reached in its current period. */
    public Map<PeerKey, Integer> quotaReached() {
        return quotas.reached();
    }
}
