package io.wgmon.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Traffic quotas, checked at each scan from bytes already read (docs/architecture.md#expectations): a peer's
 * use in its period is the bytes of its sessions that ended in the period (read from the store at
 * start-up, then added as each session ends) plus the open session's bytes. A session open when a period
 * begins counts in the new period only with what it moves from then on (its bytes as of the period's first
 * scan are remembered); otherwise a session counts in the period it ends in. {@code peer.quota} once per
 * threshold per period: when a scan finds the use past several thresholds at once, one event for the
 * highest. No timer: only traffic crosses a quota, and scans see traffic. Called on the scan thread only,
 * but {@link #reached}.
 */
public final class QuotaWatch {
    /** A peer's count in the period that began at {@code periodStart}. */
    private record Count(Instant periodStart, long endedBytes, UUID session, long sessionBefore) {
        long before(UUID id) {
            return id != null && id.equals(session) ? sessionBefore : 0;
        }
    }

    private final String host;
    private final PeerNames names;
    private final QuotaRules rules;
    private final Supplier<UUID> ids;
    private final Map<PeerKey, Count> counts = new HashMap<>();
    private final Map<PeerKey, ExpectationStore.Reached> reported = new HashMap<>();
    /** Ended sessions' bytes per period start, read at start-up; for a peer's first count in that period. */
    private final Map<Instant, Map<PeerKey, Long>> endedAtStart = new HashMap<>();
    private final List<ExpectationStore.Reached> changed = new ArrayList<>();
    private volatile Map<PeerKey, Integer> reachedNow = Map.of();

    public QuotaWatch(String host, PeerNames names, QuotaRules rules, Supplier<UUID> ids) {
        this.host = host;
        this.names = names;
        this.rules = rules;
        this.ids = ids;
    }

    /**
     * Before the first scan: what was reported, and the bytes of the sessions that ended in each period
     * under way at {@code now} (a period that begins before the first scan starts at zero, rightly).
     */
    void restore(List<ExpectationStore.Reached> saved, Function<Instant, Map<PeerKey, Long>> endedSince, Instant now) {
        saved.forEach(r -> reported.put(r.key(), r));
        rules.periods().forEach(period -> endedAtStart.computeIfAbsent(period.startOf(now), endedSince));
    }

    /** The quota events a scan at {@code now} shows; {@code tracked} its tracker events, {@code peers} the state after. */
    List<PeerEvent> apply(List<PeerEvent> tracked, Instant now, List<PeerState> peers) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Map<PeerKey, QuotaRule> applied = new HashMap<>();
        for (PeerState state : peers) {
            Optional<QuotaRule> rule = rules.of(state.key(), names.nameOf(state.key()));
            if (rule.isEmpty()) {
                counts.remove(state.key());
                continue;
            }
            applied.put(state.key(), rule.get());
            count(state, rule.get().period().startOf(now));
        }
        for (PeerEvent event : tracked) {
            Count count = counts.get(event.key());
            if (event.type() == PeerEventType.DISCONNECTED && event.traffic() != null && count != null) {
                long bytes = Math.max(0, event.traffic().rxBytes() + event.traffic().txBytes()
                        - count.before(event.sessionId()));
                counts.put(event.key(), new Count(count.periodStart(), count.endedBytes() + bytes, null, 0));
            }
        }
        List<PeerEvent> out = new ArrayList<>();
        Map<PeerKey, Integer> reachedAfter = new HashMap<>();
        for (PeerState state : peers) {
            QuotaRule rule = applied.get(state.key());
            if (rule == null) {
                continue;
            }
            Count count = counts.get(state.key());
            OpenSession open = state.session();
            long used = count.endedBytes() + (open == null ? 0
                    : Math.max(0, sessionBytes(state) - count.before(open.id())));
            int reached = rule.reached(used);
            ExpectationStore.Reached last = reported.get(state.key());
            int before = last != null && last.periodStart().equals(count.periodStart()) ? last.percent() : 0;
            if (reached > before) {
                remember(new ExpectationStore.Reached(state.key(), count.periodStart(), reached, count.session(),
                        count.sessionBefore()));
                out.add(new PeerEvent(ids.get(), PeerEventType.QUOTA, now, host, state.key(), state.last(),
                        names.nameOf(state.key()), null, null, null, null,
                        new EventDetail.Quota(reached, used, rule.limitBytes(), count.periodStart())));
            }
            if (Math.max(reached, before) > 0) {
                reachedAfter.put(state.key(), Math.max(reached, before));
            }
        }
        reachedNow = Map.copyOf(reachedAfter);
        return out;
    }

    /** Starts or continues the peer's count in the period beginning at {@code start}. */
    private void count(PeerState state, Instant start) {
        PeerKey key = state.key();
        Count count = counts.get(key);
        OpenSession open = state.session();
        if (count == null) {
            ExpectationStore.Reached saved = reported.get(key);
            boolean same = saved != null && saved.periodStart().equals(start) && open != null
                    && open.id().equals(saved.session());
            counts.put(key, new Count(start, endedAtStart.getOrDefault(start, Map.of()).getOrDefault(key, 0L),
                    same ? saved.session() : null, same ? saved.sessionBefore() : 0));
        } else if (!count.periodStart().equals(start)) {
            Count next = new Count(start, 0, open == null ? null : open.id(), open == null ? 0 : sessionBytes(state));
            counts.put(key, next);
            if (open != null) {
                remember(new ExpectationStore.Reached(key, start, 0, next.session(), next.sessionBefore()));
            }
        }
    }

    private static long sessionBytes(PeerState state) {
        return state.session().rxBytes(state.last()) + state.session().txBytes(state.last());
    }

    private void remember(ExpectationStore.Reached reached) {
        reported.put(reached.key(), reached);
        changed.add(reached);
    }

    /** Each peer's highest threshold reached in its current period, as of the last scan. Any thread. */
    Map<PeerKey, Integer> reached() {
        return reachedNow;
    }

    /** Thresholds reported (and sessions' bytes at a period's start) since the last call, for the store. */
    List<ExpectationStore.Reached> drainChanged() {
        List<ExpectationStore.Reached> drained = List.copyOf(changed);
        changed.clear();
        return drained;
    }
}
