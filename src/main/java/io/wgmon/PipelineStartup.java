package io.wgmon;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wgmon.capture.PacketSourceException;
import io.wgmon.capture.nflog.KnownEndpointsTimeoutCheck;
import io.wgmon.config.ConfigCheck;
import io.wgmon.config.StoreFolder;
import io.wgmon.config.WgmonConfig;
import io.wgmon.store.StoreException;
import io.wgmon.tracking.TrackingService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.List;

/**
 * Starts watching once Quarkus is up: checks the configuration, binds the packet source and, with nflog, checks
 * the nft rules' known-endpoint timeout against idle-timeout (docs/architecture.md#firewall). Left out of
 * the test profile, so in-process tests need no root.
 */
@ApplicationScoped
@UnlessBuildProfile("test")
public class PipelineStartup {
    /** Ahead of the default start-up priority, which every other observer has. */
    private static final int CHECK_FIRST = 100;

    /** The service start() got, so stop() closes only what was made (not a bean that failed to build). */
    private volatile TrackingService running;

    /**
     * Before the start-up observers that build parts (the {@code @Startup} dispatcher, the metrics binding's
     * view, whose packet source refuses a bad group with an exception of its own): bad configuration is the
     * one line naming the key.
     */
    void check(@Observes @Priority(CHECK_FIRST) StartupEvent event, WgmonConfig config) {
        List<String> problems = ConfigCheck.problems(config);
        if (!problems.isEmpty()) {
            throw new StartupFailure("Invalid configuration: " + String.join("; ", problems));
        }
    }

    void start(@Observes StartupEvent event, WgmonConfig config, Instance<TrackingService> tracking) {
        TrackingService service = tracking.get();
        running = service;
        try {
            service.start();
            if (config.monitor() == WgmonConfig.MonitorMode.NFLOG) {
                new KnownEndpointsTimeoutCheck(config.tracking().idleTimeout()).check();
            }
        } catch (PacketSourceException e) {
            throw new StartupFailure(e.getMessage());
        } catch (StoreException e) {
            // the tracker state is read from the store before the first scan
            throw new StartupFailure(StoreFolder.of(config).map(StoreFolder::key).orElse(StoreFolder.KEY)
                    + ": tracker state: " + e.getMessage());
        }
    }

    /** Stops scanning first, so the tracker's last state is committed before delivery and the store stop. */
    void stop(@Observes @Priority(ShutdownOrder.TRACKING) ShutdownEvent event) {
        TrackingService service = running;
        if (service != null) {
            service.close();
        }
    }
}
