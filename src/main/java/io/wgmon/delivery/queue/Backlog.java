package io.wgmon.delivery.queue;

import io.wgmon.delivery.WebhookDispatcher;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.tracking.PeerKey;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a receiver's store kept from the previous run: rows past max-age are marked done, counted and
 * logged at once (on the constructing thread, so the start-up log says what was dropped); the rest go
 * first, except those that were on the wire when a previous process ended (docs/architecture.md#delivery): once,
 * they go last with their peer's later rows (each peer's order kept), behind every other peer's; from
 * {@link #POISONED_AFTER} times on they are set aside, kept in the store but never sent again, so a reply
 * that ends the process cannot end it on every start.
 */
final class Backlog {
    private static final Logger LOG = Logger.getLogger(Backlog.class);
    /** Attempts that each ended with the process before a delivery is no longer tried. */
    static final int POISONED_AFTER = 2;

    private Backlog() {
    }

    /** @param prepare applied to each kept delivery (e.g. signed with the current secret) */
    static List<DeliveryStore.Stored> recover(DeliveryStore store, Instant now, Duration maxAge, ReceiverMetrics metrics,
                                              String label, UnaryOperator<Delivery> prepare) {
        List<DeliveryStore.Stored> stored = store.recover();
        if (stored.isEmpty()) {
            return List.of();
        }
        List<DeliveryStore.Stored> kept = new ArrayList<>();
        Set<PeerKey> suspect = new HashSet<>();
        int expired = 0;
        for (DeliveryStore.Stored row : stored) {
            if (isExpired(row.delivery(), now, maxAge)) {
                expired++;
                store.done(row.seq());
            } else if (row.started() >= POISONED_AFTER) {
                metrics.poisoned().increment();
                metrics.failed().increment();
                LOG.warnf("webhook spool for %s: %s was on the wire each of the %d times wgmon ended; set aside "
                        + "(kept in the store, never sent again)", label, row.delivery().describe(), row.started());
            } else {
                kept.add(new DeliveryStore.Stored(row.seq(), prepare.apply(row.delivery()), row.started()));
                if (row.started() > 0) {
                    suspect.add(row.delivery().peer());
                }
            }
        }
        if (expired > 0) {
            metrics.expired().increment(expired);
            LOG.warnf("webhook spool for %s: dropped %d events older than wgmon.webhook.max-age=%s", label, expired,
                    maxAge);
        }
        LOG.infof("webhook spool for %s: %d undelivered events from before the restart go first", label,
                kept.size());
        if (suspect.isEmpty()) {
            return kept;
        }
        List<DeliveryStore.Stored> ordered = new ArrayList<>(kept.stream()
                .filter(row -> !suspect.contains(row.delivery().peer())).toList());
        List<DeliveryStore.Stored> last = kept.stream().filter(row -> suspect.contains(row.delivery().peer())).toList();
        LOG.warnf("webhook spool for %s: %d of them were on the wire when wgmon ended; they and their peers' later "
                + "events go last", label, kept.stream().filter(row -> row.started() > 0).count());
        ordered.addAll(last);
        return ordered;
    }

    static boolean isExpired(Delivery delivery, Instant now, Duration maxAge) {
        return Duration.between(delivery.time(), now).compareTo(maxAge) > 0;
    }
}
