package io.wgmon.delivery.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.wireguard.Peer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the event object of docs/architecture.md#events; shared by the json format and the CloudEvents
 * {@code data} member. A source event ({@code handshake.failed}) has {@code "peer": null}; the kinds beyond
 * connect and disconnect end with a {@code detail} object.
 */
final class EventJsonWriter {
    private EventJsonWriter() {
    }

    static void write(JsonGenerator json, PeerEvent event) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", event.id().toString());
        json.writeStringField("event", event.type().wireName());
        json.writeStringField("time", WireTimes.withMillis(event.time()));
        json.writeStringField("host", event.host());
        json.writeStringField("interface", event.interfaceName());
        if (event.aboutPeer()) {
            writePeer(json, event.peer(), event.name());
        } else {
            json.writeNullField("peer");
        }
        if (event.type() == PeerEventType.DISCONNECTED) {
            json.writeStringField("reason", event.reason() == null ? null : event.reason().wireName());
            if (event.connectedFor() == null) {
                json.writeNullField("connectedSeconds");
            } else {
                json.writeNumberField("connectedSeconds", event.connectedFor().getSeconds());
            }
        }
        if (event.detail() != null) {
            json.writeFieldName("detail");
            writeDetail(json, DetailValues.of(event.detail()));
        }
        json.writeEndObject();
    }

    /** A detail object of {@link DetailValues} (strings, numbers, booleans, lists of strings, null). */
    static void writeDetail(JsonGenerator json, Map<String, Object> detail) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> field : detail.entrySet()) {
            json.writeFieldName(field.getKey());
            Object value = field.getValue();
            if (value == null) {
                json.writeNull();
            } else if (value instanceof Number number) {
                json.writeNumber(number.longValue());
            } else if (value instanceof Boolean flag) {
                json.writeBoolean(flag);
            } else if (value instanceof List<?> list) {
                json.writeStartArray();
                for (Object item : list) {
                    json.writeString(String.valueOf(item));
                }
                json.writeEndArray();
            } else {
                json.writeString(value.toString());
            }
        }
        json.writeEndObject();
    }

    private static void writePeer(JsonGenerator json, Peer peer, String name) throws IOException {
        json.writeObjectFieldStart("peer");
        json.writeStringField("publicKey", peer.publicKey());
        json.writeStringField("name", name);
        json.writeStringField("endpoint", peer.endpointText());
        json.writeArrayFieldStart("allowedIps");
        for (String allowedIp : peer.allowedIps()) {
            json.writeString(allowedIp);
        }
        json.writeEndArray();
        json.writeStringField("lastHandshake", WireTimes.withSeconds(peer.lastHandshake()));
        json.writeNumberField("rxBytes", peer.rxBytes());
        json.writeNumberField("txBytes", peer.txBytes());
        json.writeEndObject();
    }
}
