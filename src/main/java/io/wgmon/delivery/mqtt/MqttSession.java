package io.wgmon.delivery.mqtt;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * One connection attempt's client, whichever version of MQTT it speaks (3.1.1 or 5). Every publish and
 * subscription is QoS 1; each future completes when the broker acknowledged it.
 */
interface MqttSession {
    /** Sends CONNECT; fails with the broker's refusal or the reason the connection could not be made. */
    CompletableFuture<Void> connect();

    /**
     * Publishes QoS 1; completes at the PUBACK. Under MQTT 5 {@code eventId} goes along as a user property
     * ({@link #EVENT_ID}) and a refusal in the PUBACK fails the future with {@link MqttRefusal}; MQTT 3.1.1 has
     * neither.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Optional<String> eventId);

    /** Subscribes QoS 1; {@code receiver} gets topic and payload of each message, on {@code executor}. */
    CompletableFuture<Void> subscribe(String filter, BiConsumer<String, String> receiver, Executor executor);

    CompletableFuture<Void> disconnect();

    /** The MQTT 5 user property carrying the event id (the payload's {@code id}). */
    String EVENT_ID = "wgmon-event-id";
}
