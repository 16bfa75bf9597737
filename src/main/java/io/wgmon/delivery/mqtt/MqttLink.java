package io.wgmon.delivery.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;

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
        /** Connected (CONNACK accepted); publish handlers are set on {@code client}. */
        void connected(MqttClient client);

        /** The connection ended: nothing in flight will be acknowledged. */
        void lost();

        /** A PUBACK for a QoS 1 publish of this connection. */
        void acknowledged(int packetId);

        /** A message on a topic the sink subscribed to. */
        void received(String topic, String payload);
    }

    private final Vertx vertx;
    private final MqttClientOptions options;
    private final String host;
    private final int port;
    private final String label;
    private final Backoff backoff;
    private final Timers timers;
    private final Executor context;
    private final Listener listener;

    // confined to the context
    private MqttClient client;
    private int failures;
    private boolean stopped;

    MqttLink(Vertx vertx, MqttClientOptions options, String host, int port, Backoff backoff, Timers timers,
             Executor context, Listener listener) {
        this.vertx = vertx;
        this.options = options;
        this.host = host;
        this.port = port;
        this.label = (options.isSsl() ? "mqtts://" : "mqtt://") + host + ":" + port;
        this.backoff = backoff;
        this.timers = timers;
        this.context = context;
        this.listener = listener;
    }

    String label() {
        return label;
    }

    /** Starts connecting; returns at once. */
    void start() {
        context.execute(this::connect);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        MqttClient attempt = MqttClient.create(vertx, options);
        client = attempt;
        attempt.publishCompletionHandler(packetId -> {
            if (client == attempt) {
                listener.acknowledged(packetId);
            }
        });
        attempt.publishHandler(message -> {
            if (client == attempt) {
                listener.received(message.topicName(), message.payload().toString(StandardCharsets.UTF_8));
            }
        });
        attempt.closeHandler(ignored -> {
            if (client == attempt && !stopped) {
                client = null;
                listener.lost();
                retry("connection lost");
            }
        });
        attempt.exceptionHandler(failure -> LOG.debugf("%s: %s", label, describe(failure)));
        attempt.connect(port, host).onComplete(result -> {
            if (stopped || client != attempt) {
                attempt.disconnect();
                return;
            }
            if (result.succeeded()) {
                LOG.infof("mqtt: connected to %s as %s%s", label, options.getClientId(),
                        failures > 0 ? " after " + failures + " failed attempts" : "");
                failures = 0;
                listener.connected(attempt);
            } else {
                client = null;
                retry(describe(result.cause()));
            }
        });
    }

    private void retry(String cause) {
        failures++;
        Duration delay = backoff.delay(failures);
        String line = "mqtt: cannot reach " + label + " (" + cause + "); attempt " + failures + ", retrying in "
                + delay.toMillis() + " ms; events wait in the outbox";
        if (failures == 1 || failures % WARN_EVERY == 0) {
            LOG.warn(line);
        } else {
            LOG.debug(line);
        }
        timers.schedule(delay, () -> context.execute(this::connect));
    }

    /** Publishes {@code lastWords} (the status going offline) and disconnects; on the context. */
    void stop(Runnable lastWords, Runnable then) {
        context.execute(() -> {
            stopped = true;
            MqttClient current = client;
            client = null;
            if (current == null || !current.isConnected()) {
                then.run();
                return;
            }
            lastWords.run();
            current.disconnect().onComplete(ignored -> then.run());
        });
    }

    static String describe(Throwable failure) {
        if (failure instanceof MqttConnectionException refused) {
            MqttConnectReturnCode code = refused.code();
            return switch (code) {
                case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD ->
                        "the broker refused the user name or password";
                case CONNECTION_REFUSED_NOT_AUTHORIZED, CONNECTION_REFUSED_NOT_AUTHORIZED_5 ->
                        "the broker says not authorized (a wrong user name or password, or no access)";
                default -> "the broker refused the connection: " + code;
            };
        }
        if (failure instanceof SSLException || failure.getCause() instanceof SSLException) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "TLS handshake failed: " + root.getMessage();
        }
        if (failure instanceof ConnectException) {
            return "connection refused or unreachable: " + failure.getMessage();
        }
        if (failure instanceof UnknownHostException) {
            return "unknown host";
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
