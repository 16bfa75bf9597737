package io.wgmon.delivery.mqtt;

/** An MQTT 5 broker answered a publish with an error reason code: sending it again would not help. */
final class MqttRefusal extends RuntimeException {
    MqttRefusal(String reason) {
        super(reason, null, false, false);
    }
}
