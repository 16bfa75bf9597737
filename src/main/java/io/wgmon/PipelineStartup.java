package io.wgmon;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wgmon.capture.PacketSourceException;
import io.wgmon.config.ConfigCheck;
import io.wgmon.config.WgmonConfig;
import io.wgmon.store.StoreException;
import io.wgmon.tracking.TrackingService;
import io.wgmon.webhook.WebhookDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.List;

/**
 * Starts watching once Quarkus is up: checks the configuration, connects events to delivery and
 * binds the packet source. Left out of the test profile, so in-process tests need no root.
 */
@ApplicationScoped
@UnlessBuildProfile("test")
public class PipelineStartup {
    /** The service start() got, so stop() closes only what was made (not a bean that failed to build). */
    private volatile TrackingService running;

    void start(@Observes StartupEvent event, WgmonConfig config, Instance<TrackingService> tracking,
               Instance<WebhookDispatcher> dispatcher) {
        List<String> problems = ConfigCheck.problems(config);
        if (!problems.isEmpty()) {
            throw new StartupFailure("Invalid configuration: " + String.join("; ", problems));
        }
        TrackingService service = tracking.get();
        running = service;
        WebhookDispatcher webhooks = dispatcher.get();
        service.events().subscribe().with(webhooks::submit);
        try {
            service.start();
        } catch (PacketSourceException e) {
            throw new StartupFailure(e.getMessage());
        } catch (StoreException e) {
            // the tracker state is read from the store before the first scan
            throw new StartupFailure("wgmon.webhook.spool-dir: tracker state: " + e.getMessage());
        }
    }

    /**
     * Stops scanning before the beans are destroyed, so the tracker's last state is saved while the store
     * is still open (the dispatcher closes it when it is disposed).
     */
    void stop(@Observes ShutdownEvent event) {
        TrackingService service = running;
        if (service != null) {
            service.close();
        }
    }
}
