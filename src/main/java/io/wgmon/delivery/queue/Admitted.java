package io.wgmon.delivery.queue;

import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.store.StoreTransaction;
import io.wgmon.tracking.PeerEvent;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/** An event rendered and admitted by a receiver's store, on the caller's thread (no I/O, no wait). */
public record Admitted(long seq, Delivery delivery, List<Long> evicted) {
    private static final Logger LOG = Logger.getLogger(Admitted.class);

    /** Empty when the store refused it: counted as overflow and logged. */
    static Optional<Admitted> admit(PeerEvent event, DeliveryRenderer renderer, DeliveryStore store,
                                    ReceiverMetrics metrics, String label, StoreTransaction transaction) {
        Delivery delivery = renderer.render(event);
        DeliveryStore.Admission admission = store.admit(delivery, transaction);
        if (!admission.isAdmitted()) {
            metrics.overflow().increment();
            LOG.warnf("webhook queue for %s: %s; dropped %s", label, admission.refusal(), delivery.describe());
            return Optional.empty();
        }
        return Optional.of(new Admitted(admission.seq(), delivery, admission.evicted()));
    }
}
