package io.wgmon.delivery.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.PeerState;
import io.wgmon.wireguard.Peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A peer's retained messages (docs/architecture.md#mqtt): {@code state} is {@code ON} or {@code OFF} (what
 * Home Assistant's binary_sensor takes as is), {@code attributes} a JSON object with the rest.
 */
final class StateMessages {
    /** A retained message. */
    record Retained(String topic, byte[] payload) {
    }

    private final JsonFactory json = new JsonFactory();
    private final MqttTopics topics;
    private final PeerNames names;

    StateMessages(MqttTopics topics, PeerNames names) {
        this.topics = topics;
        this.names = names;
    }

    /** What the tracker holds now. */
    List<Retained> of(PeerState state) {
        return of(state.key(), state.connected(), state.last(), names.nameOf(state.key()), state.connectedSince(),
                true);
    }

    /** Right after an event; a roam does not tell since when the peer is connected. */
    List<Retained> of(PeerEvent event) {
        return switch (event.type()) {
            case CONNECTED -> of(event.key(), true, event.peer(), event.name(), event.time(), true);
            case ROAMED -> of(event.key(), true, event.peer(), event.name(), null, false);
            case DISCONNECTED -> of(event.key(), false, event.peer(), event.name(), null, true);
            default -> List.of();
        };
    }

    /** Empty retained messages: the broker forgets the peer's state and attributes. */
    List<Retained> removals(PeerKey key) {
        return List.of(new Retained(topics.state(key), new byte[0]), new Retained(topics.attributes(key), new byte[0]));
    }

    private List<Retained> of(PeerKey key, boolean connected, Peer peer, String name, Instant connectedSince,
                              boolean sinceKnown) {
        return List.of(new Retained(topics.state(key), (connected ? "ON" : "OFF").getBytes(StandardCharsets.US_ASCII)),
                new Retained(topics.attributes(key),
                        attributes(key, connected, peer, name, connectedSince, sinceKnown)));
    }

    private byte[] attributes(PeerKey key, boolean connected, Peer peer, String name, Instant connectedSince,
                              boolean sinceKnown) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("interface", key.interfaceName());
            gen.writeStringField("publicKey", key.publicKey());
            if (name != null) {
                gen.writeStringField("name", name);
            }
            gen.writeBooleanField("connected", connected);
            if (peer != null) {
                gen.writeStringField("endpoint", peer.endpointText());
                gen.writeStringField("lastHandshake", peer.lastHandshake() == null ? null
                        : peer.lastHandshake().truncatedTo(ChronoUnit.SECONDS).toString());
                gen.writeNumberField("rxBytes", peer.rxBytes());
                gen.writeNumberField("txBytes", peer.txBytes());
            }
            if (sinceKnown) {
                gen.writeStringField("connectedSince", connectedSince == null ? null
                        : connectedSince.truncatedTo(ChronoUnit.SECONDS).toString());
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
