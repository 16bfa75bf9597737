package io.wgmon.delivery.queue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;

/**
 * Gives each receiver queue the one context all its work runs on, in order and never two tasks at once,
 * so its state needs no locks (docs/architecture.md#threads). Production: a Vert.x context of Quarkus's Vertx.
 */
@FunctionalInterface
public interface ReceiverContexts {

    /** A new serial context; its tasks must not block. */
    Executor create();

    static ReceiverContexts on(Vertx vertx) {
        return () -> {
            Context context = vertx.getOrCreateContext();
            return task -> context.runOnContext(ignored -> task.run());
        };
    }
}
