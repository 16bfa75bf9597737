package io.wgmon.delivery.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/** {@link MqttSession} over MQTT 3.1.1: no properties, so the event id is only in the payload. */
final class Mqtt3Session implements MqttSession {
    private final Mqtt3AsyncClient client;
    private final Mqtt3Connect connect;

    Mqtt3Session(Mqtt3AsyncClient client, Mqtt3Connect connect) {
        this.client = client;
        this.connect = connect;
    }

    @Override
    public CompletableFuture<Void> connect() {
        return client.connect(connect).thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Optional<String> eventId) {
        return client.publish(Mqtt3Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(payload).build()).thenApply(sent -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, BiConsumer<String, String> receiver, Executor executor) {
        return client.subscribe(Mqtt3Subscribe.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build(),
                message -> receiver.accept(message.getTopic().toString(),
                        new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)), executor)
                .thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }
}
