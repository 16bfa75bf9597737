package io.wgmon.webhook;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deliveries kept in a {@link Spool} of their own receiver. When the disk fails, deliveries go on in
 * memory only (logged at ERROR); the bound is the spool's size, not a count.
 */
final class SpoolDeliveryStore implements DeliveryStore {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private final Spool spool;
    private final String label;
    /** Deliveries that could not be written get negative numbers, which the spool never sees. */
    private long nextUnspooled = -1;

    SpoolDeliveryStore(Spool spool, String label) {
        this.spool = spool;
        this.label = label;
    }

    @Override
    public List<Stored> recover() {
        List<Stored> stored = new ArrayList<>();
        for (Spool.Entry entry : spool.takeRecovered()) {
            try {
                stored.add(new Stored(entry.seq(), DeliveryCodec.decode(entry.data())));
            } catch (IllegalArgumentException e) {
                LOG.warnf("spool %s: record %d is not a delivery (%s); skipped", spool.dir(), entry.seq(),
                        e.getMessage());
                done(entry.seq());
            }
        }
        return stored;
    }

    @Override
    public Admission admit(Delivery delivery) {
        byte[] data = DeliveryCodec.encode(delivery);
        if (!spool.fits(data.length)) {
            return Admission.refused("a body of " + delivery.payload().body().length
                    + " bytes does not fit wgmon.webhook.spool-max-size");
        }
        try {
            Spool.Appended appended = spool.append(data);
            return Admission.admitted(appended.seq(), appended.evicted());
        } catch (IOException e) {
            LOG.errorf("cannot write %s to the spool of %s (%s): kept in memory only, lost on restart",
                    delivery.describe(), label, e);
            return Admission.admitted(unspooledSeq(), List.of());
        }
    }

    @Override
    public void beforeSend(long seq) {
        if (seq < 0) {
            return;
        }
        try {
            spool.syncThrough(seq);
        } catch (IOException e) {
            LOG.errorf("fsync of the spool of %s failed (%s); sending anyway", label, e);
        }
    }

    @Override
    public void done(long seq) {
        if (seq < 0) {
            return;
        }
        try {
            spool.markDone(seq);
        } catch (IOException e) {
            LOG.errorf("cannot mark record %d done in the spool of %s (%s): it is sent again after a restart",
                    seq, label, e);
        }
    }

    @Override
    public void flush() {
        try {
            spool.sync();
        } catch (IOException e) {
            LOG.errorf("fsync of the spool of %s failed (%s)", label, e);
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void close() {
        try {
            spool.close();
        } catch (IOException e) {
            LOG.errorf("closing the spool of %s failed (%s)", label, e);
        }
    }

    private synchronized long unspooledSeq() {
        return nextUnspooled--;
    }
}
