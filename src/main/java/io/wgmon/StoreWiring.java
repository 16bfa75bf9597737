package io.wgmon;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.wgmon.config.StoreFolder;
import io.wgmon.config.WgmonConfig;
import io.wgmon.store.SessionRetention;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreException;
import io.wgmon.store.StoreFault;
import io.wgmon.timing.Timers;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
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
            Optional<StoreFault> full = StoreFault.of(e)
                    .filter(fault -> fault.kind() == StoreFault.Kind.DISK_FULL || fault.kind() == StoreFault.Kind.IO_ERROR);
            if (full.isEmpty()) {
                throw new StartupFailure(where.key() + ": " + e.getMessage());
            }
            // refusing would restart wgmon into the same full disk forever; delivery works without the store
            LOG.errorf("store %s cannot be opened: %s, %s; running without a store until the next start: tracker "
                    + "state and undelivered events are kept in memory only", where.dir().resolve(StoreDatabase.FILE),
                    full.get().describe(), freeSpace(where));
            return Optional.empty();
        }
        LOG.infof("store %s: tracker state and undelivered events survive a restart",
                where.dir().resolve(StoreDatabase.FILE));
        return opened;
    }

    private static String freeSpace(StoreFolder where) {
        try {
            return Files.getFileStore(where.dir()).getUsableSpace() + " bytes free in " + where.dir();
        } catch (IOException e) {
            return "free space in " + where.dir() + " unknown";
        }
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
