package io.wgmon.delivery.queue;

import io.wgmon.delivery.WebhookDispatcher;
import org.jboss.logging.Logger;

/**
 * 410 Gone: the receiver's URL was deleted (Slack, Discord and Teams answer so for a removed webhook).
 * Retrying cannot help, so the receiver is disabled until wgmon is restarted with a new URL.
 */
final class Gone {
    static final int STATUS = 410;
    private static final Logger LOG = Logger.getLogger(Gone.class);

    private Gone() {
    }

    static void log(String label, int dropped) {
        LOG.errorf("%s answered 410 Gone: the webhook no longer exists, nothing more is sent to it "
                + "(wgmon_webhook_disabled=1); %d pending events dropped. Configure its new URL and restart wgmon",
                label, dropped);
    }
}
