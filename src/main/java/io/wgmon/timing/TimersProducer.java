package io.wgmon.timing;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one {@link Timers} of the application, on Quarkus's Vert.x (docs/architecture.md#threads). */
@ApplicationScoped
public class TimersProducer {

    @Produces
    @Singleton
    Timers timers(Vertx vertx) {
        return new VertxTimers(vertx, Clock.systemUTC());
    }
}
