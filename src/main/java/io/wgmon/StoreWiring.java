package io.wgmon;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.wgmon.config.StoreFolder;
import io.wgmon.config.WgmonConfig;
import io.wgmon.store.SessionRetention;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreException;
import io.wgmon.timing.Timers;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Opens the store when a folder is configured (docs/architecture.md#store), whatever else is: tracking keeps its
 * state in it and delivery its undelivered events. Closed last at shutdown, after both are done with it.
 */
@ApplicationScoped
public class StoreWiring {
    private static final Logger LOG = Logger.getLogger(StoreWiring.class);

    private volatile Optional<StoreDatabase> opened = Optional.empty();

    @Produces
    @Singleton
    Optional<StoreDatabase> store(WgmonConfig config, MeterRegistry registry) {
        Optional<StoreFolder> folder = StoreFolder.of(config);
        if (folder.isEmpty()) {
            LOG.infof("no %s configured: tracker state and undelivered events are kept in memory only and lost "
                    + "on restart", StoreFolder.KEY);
            return Optional.empty();
        }
        StoreFolder where = folder.get();
        if (where.deprecated()) {
            LOG.warnf("%s is deprecated: set %s=%s instead", StoreFolder.ALIAS, StoreFolder.KEY, where.dir());
        }
        try {
            opened = Optional.of(StoreDatabase.open(where.dir()));
            opened.get().health().register(registry);
        } catch (StoreException e) {
            throw new StartupFailure(where.key() + ": " + e.getMessage());
        }
        LOG.infof("store %s: tracker state and undelivered events survive a restart",
                where.dir().resolve(StoreDatabase.FILE));
        return opened;
    }

    /** History retention, with a store: started here (the row count is read once). */
    @Produces
    @Singleton
    Optional<SessionRetention> retention(Optional<StoreDatabase> store, WgmonConfig config, Timers timers,
                                         MeterRegistry registry) {
        return store.map(database -> {
            WgmonConfig.History history = config.history();
            SessionRetention retention = new SessionRetention(database, history.maxAge(), history.maxRows(), timers,
                    registry);
            retention.start();
            LOG.infof("session history: %d sessions kept, at most %d, none ended more than %s ago", retention.rows(),
                    history.maxRows(), history.maxAge());
            return retention;
        });
    }

    void close(@Observes @Priority(ShutdownOrder.STORE) ShutdownEvent event) {
        opened.ifPresent(StoreDatabase::close);
    }
}
