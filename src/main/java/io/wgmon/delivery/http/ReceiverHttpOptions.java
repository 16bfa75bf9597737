package io.wgmon.delivery.http;

import io.vertx.core.http.HttpClientOptions;

import java.util.function.Consumer;

/**
 * wgmon's changes to the Vert.x options of each receiver's HTTP client, applied by the REST client's
 * builder on top of its own. Connections are kept alive between deliveries as by default; the pool's
 * cleaner, which closes the expired ones, runs once a minute instead of Vert.x's once a second, which was
 * the event loop's only wakeup at rest (docs/architecture.md#threads).
 */
final class ReceiverHttpOptions implements Consumer<HttpClientOptions> {
    static final int POOL_CLEANER_PERIOD_MILLIS = 60_000;

    @Override
    public void accept(HttpClientOptions options) {
        options.setPoolCleanerPeriod(POOL_CLEANER_PERIOD_MILLIS);
    }
}
