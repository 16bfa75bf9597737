package io.wgmon.delivery.mqtt;

import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The connection to the broker: connects, and after a failure or a lost connection connects again after a
 * {@link Backoff} delay, forever. Runs on its sink's one context; a new client per attempt. Logs the first
 * failure of a run of failures and every 10th at WARN (one line, no credentials), the rest at DEBUG.
 */
final class MqttLink {
    private static final Logger LOG = Logger.getLogger(MqttLink.class);
    private static final int WARN_EVERY = 10;

    /** What the sink does with the connection; called on the context. */
    interface Listener {
        /** Connected (CONNACK accepted). */
        void connected(MqttSession session);

        /** The connection ended: nothing in flight will be acknowledged. */
        void lost();
    }

    private final MqttOptions options;
    private final Backoff backoff;
    private final Timers timers;
    private final Executor context;
    private final Listener listener;

    // confined to the context
    private MqttSession session;
    private long attempt;
    /** The current attempt's CONNACK arrived and its connection has not ended since. */
    private boolean connected;
    /** The current attempt's connection ended before its CONNACK was handled. */
    private boolean endedEarly;
    private int failures;
    private boolean stopped;

    MqttLink(MqttOptions options, Backoff backoff, Timers timers, Executor context, Listener listener) {
        this.options = options;
        this.backoff = backoff;
        this.timers = timers;
        this.context = context;
        this.listener = listener;
    }

    String label() {
        return options.label();
    }

    /** Starts connecting; returns at once. */
    void start() {
        context.execute(this::connect);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        long number = ++attempt;
        MqttSession opened = options.open(() -> context.execute(() -> ended(number)));
        session = opened;
        connected = false;
        endedEarly = false;
        opened.connect().whenCompleteAsync((ignored, failure) -> {
            if (stopped || number != attempt) {
                opened.disconnect();
                return;
            }
            if (failure != null || endedEarly) {
                session = null;
                retry(failure != null ? MqttFailures.describe(failure) : "connection lost");
                return;
            }
            LOG.infof("mqtt: connected to %s as %s (MQTT %s)%s", options.label(), options.clientId(),
                    options.protocol(), failures > 0 ? " after " + failures + " failed attempts" : "");
            failures = 0;
            connected = true;
            listener.connected(opened);
        }, context);
    }

    /** The client of attempt {@code number} lost its connection, or never had one (then its connect fails too). */
    private void ended(long number) {
        if (number != attempt || stopped) {
            return;
        }
        if (!connected) {
            endedEarly = true;
            return;
        }
        connected = false;
        session = null;
        listener.lost();
        retry("connection lost");
    }

    private void retry(String cause) {
        failures++;
        Duration delay = backoff.delay(failures);
        String line = "mqtt: cannot reach " + options.label() + " (" + cause + "); attempt " + failures
                + ", retrying in " + delay.toMillis() + " ms; events wait in the outbox";
        if (failures == 1 || failures % WARN_EVERY == 0) {
            LOG.warn(line);
        } else {
            LOG.debug(line);
        }
        timers.schedule(delay, () -> context.execute(this::connect));
    }

    /**
     * Publishes {@code lastWords} (the status going offline) when connected, and disconnects once the broker
     * acknowledged them; on the context.
     */
    void stop(Supplier<CompletableFuture<Void>> lastWords, Runnable then) {
        context.execute(() -> {
            stopped = true;
            MqttSession current = session;
            boolean wasConnected = connected;
            session = null;
            connected = false;
            if (current == null) {
                then.run();
                return;
            }
            CompletableFuture<Void> said = wasConnected ? lastWords.get() : CompletableFuture.completedFuture(null);
            said.handle((ignored, failure) -> current.disconnect()).thenCompose(disconnecting -> disconnecting)
                    .whenComplete((ignored, failure) -> then.run());
        });
    }
}
