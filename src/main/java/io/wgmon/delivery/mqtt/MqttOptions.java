package io.wgmon.delivery.mqtt;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClientOptions;
import io.wgmon.config.WgmonConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * The client's settings from {@code wgmon.mqtt.*}: TLS (CA file, client certificate, host name checked),
 * credentials, keepalive, and the will: {@code offline}, retained, on the status topic.
 */
final class MqttOptions {
    /** Far above wgmon's own window: retained states of every peer go out at once on (re)connect. */
    private static final int MAX_INFLIGHT = 65535;

    private MqttOptions() {
    }

    static int port(WgmonConfig.Mqtt config) {
        return config.port().orElse(config.tls() ? MqttClientOptions.DEFAULT_TSL_PORT : MqttClientOptions.DEFAULT_PORT);
    }

    static MqttClientOptions of(WgmonConfig.Mqtt config, String clientId, MqttTopics topics) {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(true)
                .setKeepAliveInterval((int) config.keepalive().toSeconds())
                .setAutoKeepAlive(true)
                .setMaxInflightQueue(MAX_INFLIGHT)
                .setWillFlag(true)
                .setWillTopic(topics.status())
                .setWillMessage(MqttSink.OFFLINE)
                .setWillQoS(1)
                .setWillRetain(true);
        options.setConnectTimeout((int) Duration.ofSeconds(10).toMillis());
        config.username().ifPresent(options::setUsername);
        password(config).ifPresent(options::setPassword);
        if (config.tls()) {
            options.setSsl(true);
            options.setHostnameVerificationAlgorithm("HTTPS");
            config.caFile().ifPresent(ca -> options.setPemTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            if (config.clientCert().isPresent() && config.clientKey().isPresent()) {
                options.setPemKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(config.clientCert().get().toString())
                        .setKeyPath(config.clientKey().get().toString()));
            }
        }
        return options;
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
