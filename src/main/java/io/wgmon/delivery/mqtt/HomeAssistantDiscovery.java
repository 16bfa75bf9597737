package io.wgmon.delivery.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.PeerNames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Home Assistant's MQTT discovery configs for one peer (docs/architecture.md#mqtt), retained under
 * {@code <discovery-prefix>/<component>/<node-id>/<object-id>/config}: a {@code binary_sensor} with
 * {@code device_class: connectivity} on the peer's {@code state} topic, and sensors read from its
 * {@code attributes} (last handshake, connected since, endpoint, received and sent bytes). One device per
 * host and interface; every entity is available while wgmon's status topic says {@code online}. An empty
 * retained payload on the same topics removes them.
 */
final class HomeAssistantDiscovery {
    private record Sensor(String key, String label, String template, String deviceClass, String unit,
                          String stateClass) {
    }

    private static final List<Sensor> SENSORS = List.of(
            new Sensor("last_handshake", "last handshake", "{{ value_json.lastHandshake }}", "timestamp", null, null),
            new Sensor("connected_since", "connected since", "{{ value_json.connectedSince }}", "timestamp", null,
                    null),
            new Sensor("endpoint", "endpoint", "{{ value_json.endpoint }}", null, null, null),
            new Sensor("rx", "received", "{{ value_json.rxBytes }}", "data_size", "B", "total_increasing"),
            new Sensor("tx", "sent", "{{ value_json.txBytes }}", "data_size", "B", "total_increasing"));

    private final JsonFactory json = new JsonFactory();
    private final String prefix;
    private final MqttTopics topics;
    private final PeerNames names;
    private final String version;

    HomeAssistantDiscovery(String prefix, MqttTopics topics, PeerNames names, String version) {
        this.prefix = prefix;
        this.topics = topics;
        this.names = names;
        this.version = version;
    }

    /** Home Assistant's birth topic: {@code online} there asks every device to announce itself again. */
    String birthTopic() {
        return prefix + "/status";
    }

    /** Every config of the peer, with its payload. */
    List<StateMessages.Retained> configs(PeerKey peer) {
        List<StateMessages.Retained> configs = new ArrayList<>();
        configs.add(new StateMessages.Retained(configTopic("binary_sensor", peer, "connected"),
                binarySensor(peer)));
        for (Sensor sensor : SENSORS) {
            configs.add(new StateMessages.Retained(configTopic("sensor", peer, sensor.key()), sensor(peer, sensor)));
        }
        return configs;
    }

    /** Empty retained payloads on every config topic of the peer: Home Assistant removes its entities. */
    List<StateMessages.Retained> removals(PeerKey peer) {
        return configs(peer).stream().map(config -> new StateMessages.Retained(config.topic(), new byte[0])).toList();
    }

    private String configTopic(String component, PeerKey peer, String what) {
        return prefix + "/" + component + "/" + nodeId(peer) + "/" + MqttTopics.peerId(peer.publicKey()) + "_" + what
                + "/config";
    }

    /** The device's id: host and interface as {@code [A-Za-z0-9_-]}. */
    private String nodeId(PeerKey peer) {
        return idSafe("wgmon_" + topics.host() + "_" + peer.interfaceName());
    }

    private String uniqueId(PeerKey peer, String what) {
        return nodeId(peer) + "_" + MqttTopics.peerId(peer.publicKey()) + "_" + what;
    }

    private String peerName(PeerKey peer) {
        String name = names.nameOf(peer);
        return name != null && !name.isBlank() ? name : "peer " + peer.publicKey().substring(0, 8);
    }

    private byte[] binarySensor(PeerKey peer) {
        return write(gen -> {
            gen.writeStringField("name", peerName(peer));
            gen.writeStringField("unique_id", uniqueId(peer, "connected"));
            gen.writeStringField("device_class", "connectivity");
            gen.writeStringField("state_topic", topics.state(peer));
            gen.writeStringField("payload_on", "ON");
            gen.writeStringField("payload_off", "OFF");
            gen.writeStringField("json_attributes_topic", topics.attributes(peer));
            gen.writeNumberField("qos", 1);
            common(gen, peer);
        });
    }

    private byte[] sensor(PeerKey peer, Sensor sensor) {
        return write(gen -> {
            gen.writeStringField("name", peerName(peer) + " " + sensor.label());
            gen.writeStringField("unique_id", uniqueId(peer, sensor.key()));
            gen.writeStringField("state_topic", topics.attributes(peer));
            gen.writeStringField("value_template", sensor.template());
            if (sensor.deviceClass() != null) {
                gen.writeStringField("device_class", sensor.deviceClass());
            }
            if (sensor.unit() != null) {
                gen.writeStringField("unit_of_measurement", sensor.unit());
            }
            if (sensor.stateClass() != null) {
                gen.writeStringField("state_class", sensor.stateClass());
            }
            gen.writeNumberField("qos", 1);
            common(gen, peer);
        });
    }

    private void common(JsonGenerator gen, PeerKey peer) throws IOException {
        gen.writeArrayFieldStart("availability");
        gen.writeStartObject();
        gen.writeStringField("topic", topics.status());
        gen.writeStringField("payload_available", MqttSink.ONLINE);
        gen.writeStringField("payload_not_available", MqttSink.OFFLINE);
        gen.writeEndObject();
        gen.writeEndArray();
        gen.writeObjectFieldStart("device");
        gen.writeArrayFieldStart("identifiers");
        gen.writeString(nodeId(peer));
        gen.writeEndArray();
        gen.writeStringField("name", "WireGuard " + peer.interfaceName() + " on " + topics.host());
        gen.writeStringField("manufacturer", "wgmon");
        gen.writeStringField("model", "WireGuard interface");
        gen.writeStringField("sw_version", version);
        gen.writeEndObject();
        gen.writeObjectFieldStart("origin");
        gen.writeStringField("name", "wgmon");
        gen.writeStringField("sw_version", version);
        gen.writeEndObject();
    }

    private interface Fields {
        void write(JsonGenerator gen) throws IOException;
    }

    private byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(768);
        try (JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            fields.write(gen);
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    static String idSafe(String text) {
        StringBuilder id = new StringBuilder(text.length());
        text.chars().forEach(c -> id.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' ? (char) c : '_'));
        return id.toString();
    }
}
