package io.wgmon.delivery.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.wireguard.Peer;

import java.io.IOException;

/** Writes the event object of docs/architecture.md#events; shared by the json format and the CloudEvents {@code data} member. */
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
        writePeer(json, event.peer(), event.name());
        if (event.type() == PeerEventType.DISCONNECTED) {
            json.writeStringField("reason", event.reason() == null ? null : event.reason().wireName());
            if (event.connectedFor() == null) {
                json.writeNullField("connectedSeconds");
            } else {
                json.writeNumberField("connectedSeconds", event.connectedFor().getSeconds());
            }
        }
        json.writeStringField("sessionId", event.sessionId() == null ? null : event.sessionId().toString());
        if (event.type() == PeerEventType.DISCONNECTED) {
            writeNumberOrNull(json, "sessionRxBytes", event.traffic() == null ? null : event.traffic().rxBytes());
            writeNumberOrNull(json, "sessionTxBytes", event.traffic() == null ? null : event.traffic().txBytes());
        }
        json.writeEndObject();
    }

    private static void writeNumberOrNull(JsonGenerator json, String field, Long value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
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
