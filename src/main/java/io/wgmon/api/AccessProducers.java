package io.wgmon.api;

import io.wgmon.Wiring;
import io.wgmon.config.WgmonConfig;
import io.wgmon.timing.Timers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** What both servers' gates and the login share: the Host allow-list, the session table, the failure table. */
@ApplicationScoped
public class AccessProducers {

    @Produces
    @Singleton
    LoginSessions sessions(WgmonConfig config, Timers timers) {
        return new LoginSessions(config.api().sessionLifetime(), timers);
    }

    @Produces
    @Singleton
    AuthFailures failures(Timers timers) {
        return new AuthFailures(timers);
    }

    @Produces
    @Singleton
    AllowedHosts allowedHosts(WgmonConfig config) {
        return config.api().allowedHosts().map(AllowedHosts::new)
                .orElseGet(() -> AllowedHosts.defaults(Wiring.host(config)));
    }
}
