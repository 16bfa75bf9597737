package io.wgmon.delivery.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.wgmon.delivery.TestEvents;
import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The cloudevents format as the CloudEvents Java SDK (io.cloudevents 4.0.1) reads structured-mode JSON. */
class CloudEventsSdkTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void everyEventIsAValidStructuredCloudEvent() throws Exception {
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        assertNotNull(format, "the SDK's JSON format is on the class path");
        PeerEvent roamed = TestEvents.event(PeerEventType.ROAMED,
                TestEvents.peer(TestEvents.KEY, TestEvents.endpoint("2001:db8::9", 51820), TestEvents.HANDSHAKE, 5),
                "ünïcode peer");
        for (PeerEvent event : List.of(TestEvents.connected(), roamed,
                TestEvents.disconnected(DisconnectReason.INTERFACE_DOWN, Duration.ofHours(3)))) {
            Payload payload = new CloudEventsPayloadFormat().render(event);
            assertEquals(JsonFormat.CONTENT_TYPE, payload.contentType());
            CloudEvent parsed = format.deserialize(payload.body()); // throws for a missing or bad attribute
            assertEquals(SpecVersion.V1, parsed.getSpecVersion());
            assertEquals("io.wgmon." + event.type().wireName(), parsed.getType());
            assertEquals(URI.create("wgmon://node-1/wg0"), parsed.getSource());
            assertEquals(event.id().toString(), parsed.getId());
            assertEquals(event.peer().publicKey(), parsed.getSubject());
            assertEquals(event.time(), parsed.getTime().toInstant());
            assertEquals("application/json", parsed.getDataContentType());
            assertEquals(mapper.readTree(new JsonPayloadFormat().render(event).body()),
                    mapper.readTree(parsed.getData().toBytes()), "data is the json format's event");
        }
    }
}
