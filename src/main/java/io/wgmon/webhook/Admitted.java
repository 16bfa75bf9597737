package io.wgmon.webhook;

import io.wgmon.tracking.PeerEvent;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/** An event rendered and admitted by a receiver's store, on the caller's thread (no I/O, no wait). */
record Admitted(long seq, Delivery delivery, List<Long> evicted) {
    private static final Logger LOG = Logger.getLogger(Admitted.class);

    /** Empty when the store refused it: counted as overflow and logged. */
    static Optional<Admitted> admit(PeerEvent event, DeliveryRenderer renderer, DeliveryStore store,
                                    ReceiverMetrics metrics, String label) {
        Delivery delivery = renderer.render(event);
        DeliveryStore.Admission admission = store.admit(delivery);
        if (!admission.isAdmitted()) {
            metrics.overflow().increment();
            LOG.warnf("webhook queue for %s: %s; dropped %s", label, admission.refusal(), delivery.describe());
            return Optional.empty();
        }
        return Optional.of(new Admitted(admission.seq(), delivery, admission.evicted()));
    }
}
