package io.wgmon.webhook;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a receiver's store kept from the previous run: rows past max-age are marked done, counted and
 * logged at once (on the constructing thread, so the start-up log says what was dropped); the rest go
 * first, except those that were on the wire when a previous process ended (docs/architecture.md §8): once
 * they go last, behind every other kept row; from {@link #POISONED_AFTER} times on they are set aside, kept
 * in the store but never sent again, so a reply that ends the process cannot end it on every start.
 */
final class Backlog {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
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
        List<DeliveryStore.Stored> first = new ArrayList<>();
        List<DeliveryStore.Stored> last = new ArrayList<>();
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
                DeliveryStore.Stored kept = new DeliveryStore.Stored(row.seq(), prepare.apply(row.delivery()),
                        row.started());
                (row.started() > 0 ? last : first).add(kept);
            }
        }
        if (expired > 0) {
            metrics.expired().increment(expired);
            LOG.warnf("webhook spool for %s: dropped %d events older than wgmon.webhook.max-age=%s", label, expired,
                    maxAge);
        }
        LOG.infof("webhook spool for %s: %d undelivered events from before the restart go first", label,
                first.size() + last.size());
        if (!last.isEmpty()) {
            LOG.warnf("webhook spool for %s: %d of them were on the wire when wgmon ended; they go last", label,
                    last.size());
        }
        first.addAll(last);
        return first;
    }

    static boolean isExpired(Delivery delivery, Instant now, Duration maxAge) {
        return Duration.between(delivery.time(), now).compareTo(maxAge) > 0;
    }
}
