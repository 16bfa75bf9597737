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
 * first.
 */
final class Backlog {
    private static final Logger LOG = Logger.getLogger(Backlog.class);

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
        int expired = 0;
        for (DeliveryStore.Stored row : stored) {
            if (isExpired(row.delivery(), now, maxAge)) {
                expired++;
                store.done(row.seq());
            } else {
                kept.add(new DeliveryStore.Stored(row.seq(), prepare.apply(row.delivery())));
            }
        }
        if (expired > 0) {
            metrics.expired().increment(expired);
            LOG.warnf("webhook spool for %s: dropped %d events older than wgmon.webhook.max-age=%s", label, expired,
                    maxAge);
        }
        LOG.infof("webhook spool for %s: %d undelivered events from before the restart go first", label,
                kept.size());
        return kept;
    }

    static boolean isExpired(Delivery delivery, Instant now, Duration maxAge) {
        return Duration.between(delivery.time(), now).compareTo(maxAge) > 0;
    }
}
