package io.wgmon.delivery.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/** {@link MqttSession} over MQTT 5: the event id as a user property, a PUBACK's error reason as a refusal. */
final class Mqtt5Session implements MqttSession {
    private final Mqtt5AsyncClient client;
    private final Mqtt5Connect connect;

    Mqtt5Session(Mqtt5AsyncClient client, Mqtt5Connect connect) {
        this.client = client;
        this.connect = connect;
    }

    @Override
    public CompletableFuture<Void> connect() {
        return client.connect(connect).thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Optional<String> eventId) {
        Mqtt5PublishBuilder.Complete publish = Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain).payload(payload);
        eventId.ifPresent(id -> publish.userProperties(Mqtt5UserProperties.of(Mqtt5UserProperty.of(EVENT_ID, id))));
        return client.publish(publish.build()).handle(Mqtt5Session::acknowledged);
    }

    private static Void acknowledged(Mqtt5PublishResult result, Throwable failure) {
        Throwable error = failure != null ? failure : result.getError().orElse(null);
        if (error instanceof CompletionException wrapped && wrapped.getCause() != null) {
            error = wrapped.getCause();
        }
        if (error instanceof Mqtt5PubAckException refused) {
            var ack = refused.getMqttMessage();
            throw new MqttRefusal("the broker refused it: " + ack.getReasonCode()
                    + ack.getReasonString().map(reason -> " (" + reason + ")").orElse(""));
        }
        if (error != null) {
            throw error instanceof CompletionException again ? again : new CompletionException(error);
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, BiConsumer<String, String> receiver, Executor executor) {
        return client.subscribe(Mqtt5Subscribe.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build(),
                message -> receiver.accept(message.getTopic().toString(),
                        new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)), executor)
                .thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }
}
