package io.wgmon.delivery.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.reactivex.schedulers.Schedulers;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.wgmon.config.WgmonConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The client's settings from {@code wgmon.mqtt.*} (docs/architecture.md#mqtt): MQTT 3.1.1 or 5, TLS (CA file,
 * client certificate, host name checked), credentials, keepalive, and the will: {@code offline}, retained, on
 * the status topic. Opens a new HiveMQ client for each connection attempt, never reconnecting by itself (the
 * {@link MqttLink} does, so that the outbox keeps control); its Netty I/O runs on one thread and its callbacks
 * on the sink's context.
 */
final class MqttOptions {
    static final String MQTT_5 = "5";
    static final String MQTT_3_1_1 = "3.1.1";
    private static final int DEFAULT_PORT = 1883;
    private static final int DEFAULT_TLS_PORT = 8883;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;

    private final String host;
    private final int port;
    private final String clientId;
    private final boolean mqtt5;
    private final boolean tls;
    private final MqttClientTransportConfig transport;
    private final MqttClientExecutorConfig executors;
    private final int keepaliveSeconds;
    private final Optional<String> username;
    private final Optional<byte[]> password;
    private final String willTopic;

    private MqttOptions(String host, int port, String clientId, boolean mqtt5, Optional<MqttClientSslConfig> tls,
                        MqttClientExecutorConfig executors, int keepaliveSeconds, Optional<String> username,
                        Optional<byte[]> password, String willTopic) {
        this.host = host;
        this.port = port;
        this.clientId = clientId;
        this.mqtt5 = mqtt5;
        this.tls = tls.isPresent();
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder().serverHost(host)
                .serverPort(port).socketConnectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .mqttConnectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        tls.ifPresent(transport::sslConfig);
        this.transport = transport.build();
        this.executors = executors;
        this.keepaliveSeconds = keepaliveSeconds;
        this.username = username;
        this.password = password;
        this.willTopic = willTopic;
    }

    static int port(WgmonConfig.Mqtt config) {
        return config.port().orElse(config.tls() ? DEFAULT_TLS_PORT : DEFAULT_PORT);
    }

    /**
     * @param context where the client's callbacks run (the sink's one context)
     * @param vertx   reads the PEM files (CA, client certificate and key) as Vert.x's TLS does
     */
    static MqttOptions of(WgmonConfig.Mqtt config, String clientId, MqttTopics topics, Executor context, Vertx vertx) {
        return new MqttOptions(config.host().orElseThrow(), port(config), clientId,
                !MQTT_3_1_1.equals(config.protocol()),
                config.tls() ? Optional.of(tls(config, vertx)) : Optional.empty(),
                MqttClientExecutorConfig.builder().nettyThreads(1).applicationScheduler(Schedulers.from(context))
                        .build(),
                (int) config.keepalive().toSeconds(), config.username(),
                password(config).map(text -> text.getBytes(StandardCharsets.UTF_8)), topics.status());
    }

    String label() {
        return (tls ? "mqtts://" : "mqtt://") + host + ":" + port;
    }

    String clientId() {
        return clientId;
    }

    String protocol() {
        return mqtt5 ? MQTT_5 : MQTT_3_1_1;
    }

    /** A new client, not connected; {@code ended} runs (on a client thread) whenever its connection ends. */
    MqttSession open(Runnable ended) {
        MqttClientBuilder builder = MqttClient.builder().identifier(clientId).executorConfig(executors)
                .transportConfig(transport).addDisconnectedListener(context -> ended.run());
        byte[] offline = MqttSink.OFFLINE.getBytes(StandardCharsets.US_ASCII);
        if (mqtt5) {
            Mqtt5ConnectBuilder connect = Mqtt5Connect.builder().cleanStart(true).noSessionExpiry()
                    .keepAlive(keepaliveSeconds)
                    .willPublish(Mqtt5Publish.builder().topic(willTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                            .payload(offline).asWill().build());
            username.ifPresent(user -> connect.simpleAuth(password.isPresent()
                    ? Mqtt5SimpleAuth.builder().username(user).password(password.get()).build()
                    : Mqtt5SimpleAuth.builder().username(user).build()));
            return new Mqtt5Session(builder.useMqttVersion5().buildAsync(), connect.build());
        }
        Mqtt3ConnectBuilder connect = Mqtt3Connect.builder().cleanSession(true).keepAlive(keepaliveSeconds)
                .willPublish(Mqtt3Publish.builder().topic(willTopic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                        .payload(offline).build());
        username.ifPresent(user -> connect.simpleAuth(password.isPresent()
                ? Mqtt3SimpleAuth.builder().username(user).password(password.get()).build()
                : Mqtt3SimpleAuth.builder().username(user).build()));
        return new Mqtt3Session(builder.useMqttVersion3().buildAsync(), connect.build());
    }

    private static MqttClientSslConfig tls(WgmonConfig.Mqtt config, Vertx vertx) {
        MqttClientSslConfigBuilder tls = MqttClientSslConfig.builder();
        config.caFile().ifPresent(ca -> {
            try {
                tls.trustManagerFactory(new PemTrustOptions().addCertPath(ca.toString()).getTrustManagerFactory(vertx));
            } catch (Exception e) {
                throw new IllegalArgumentException("wgmon.mqtt.ca-file=" + ca + " cannot be used: " + e.getMessage(),
                        e);
            }
        });
        if (config.clientCert().isPresent() && config.clientKey().isPresent()) {
            try {
                tls.keyManagerFactory(new PemKeyCertOptions().setCertPath(config.clientCert().get().toString())
                        .setKeyPath(config.clientKey().get().toString()).getKeyManagerFactory(vertx));
            } catch (Exception e) {
                throw new IllegalArgumentException("wgmon.mqtt.client-cert=" + config.clientCert().get()
                        + " and wgmon.mqtt.client-key=" + config.clientKey().get() + " cannot be used: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
        return tls.build();
    }

    private static Optional<String> password(WgmonConfig.Mqtt config) {
        if (config.passwordFile().isPresent()) {
            try {
                return Optional.of(Files.readAllLines(config.passwordFile().get()).stream().findFirst().orElse(""));
            } catch (IOException e) {
                throw new UncheckedIOException("wgmon.mqtt.password-file cannot be read", e);
            }
        }
        return config.password();
    }
}
