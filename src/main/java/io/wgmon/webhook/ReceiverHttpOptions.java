package io.wgmon.webhook;

import io.vertx.core.http.HttpClientOptions;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The Vert.x options of each receiver's HTTP client, given to the REST client as a context resolver
 * (it asks for a fresh {@link HttpClientOptions} per client and then applies its own settings on top).
 * Connections are kept alive between deliveries as by default; the pool's cleaner, which closes the
 * expired ones, runs once a minute instead of Vert.x's once a second, which was the event loop's
 * only wakeup at rest (docs/architecture.md#threads).
 */
final class ReceiverHttpOptions implements ContextResolver<HttpClientOptions> {
    static final int POOL_CLEANER_PERIOD_MILLIS = 60_000;

    @Override
    public HttpClientOptions getContext(Class<?> type) {
        return new HttpClientOptions().setPoolCleanerPeriod(POOL_CLEANER_PERIOD_MILLIS);
    }
}
