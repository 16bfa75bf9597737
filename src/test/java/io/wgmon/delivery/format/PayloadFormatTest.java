package io.wgmon.delivery.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.config.WgmonConfig.WebhookFormat;
import io.wgmon.delivery.TestEvents;
import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadFormatTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void jsonConnectedHasEveryFieldInContractOrder() throws Exception {
        PeerEvent event = TestEvents.connected();
        Payload payload = new JsonPayloadFormat().render(event);
        assertEquals("application/json", payload.contentType());

        JsonNode json = mapper.readTree(payload.body());
        assertEquals(List.of("id", "event", "time", "host", "interface", "peer", "sessionId"), names(json));
        assertEquals(TestEvents.SESSION.toString(), json.get("sessionId").textValue());
        assertEquals(event.id().toString(), json.get("id").textValue());
        assertEquals("peer.connected", json.get("event").textValue());
        assertEquals("2026-11-25T23:52:51.450Z", json.get("time").textValue());
        assertEquals("node-1", json.get("host").textValue());
        assertEquals("wg0", json.get("interface").textValue());

        JsonNode peer = json.get("peer");
        assertEquals(List.of("publicKey", "name", "endpoint", "allowedIps", "lastHandshake", "rxBytes", "txBytes"),
                names(peer));
        assertEquals(TestEvents.KEY, peer.get("publicKey").textValue());
        assertEquals("alice-laptop", peer.get("name").textValue());
        assertEquals("192.0.2.2:33612", peer.get("endpoint").textValue());
        assertEquals(List.of("10.10.10.2/32", "fd00::2/128"),
                List.of(peer.get("allowedIps").get(0).textValue(), peer.get("allowedIps").get(1).textValue()));
        assertEquals(2, peer.get("allowedIps").size());
        assertEquals("2026-11-25T23:52:51Z", peer.get("lastHandshake").textValue());
        assertTrue(peer.get("rxBytes").isIntegralNumber());
        assertEquals(180, peer.get("rxBytes").longValue());
        assertEquals(92, peer.get("txBytes").longValue());
    }

    @Test
    void jsonDisconnectedAppendsReasonAndConnectedSeconds() throws Exception {
        PeerEvent event = TestEvents.disconnected(DisconnectReason.INTERFACE_DOWN, Duration.ofMillis(3_723_900));
        JsonNode json = mapper.readTree(new JsonPayloadFormat().render(event).body());
        assertEquals(List.of("id", "event", "time", "host", "interface", "peer", "reason", "connectedSeconds",
                "sessionId", "sessionRxBytes", "sessionTxBytes"), names(json));
        assertEquals("peer.disconnected", json.get("event").textValue());
        assertEquals("interface-down", json.get("reason").textValue());
        assertEquals(3723, json.get("connectedSeconds").longValue());
        assertEquals(TestEvents.SESSION.toString(), json.get("sessionId").textValue());
        assertEquals(event.traffic().rxBytes(), json.get("sessionRxBytes").longValue());
        assertEquals(event.traffic().txBytes(), json.get("sessionTxBytes").longValue());
    }

    @Test
    void jsonUnknownValuesAreNullAndTimesKeepFixedPrecision() throws Exception {
        PeerEvent event = new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED,
                Instant.parse("2026-01-02T03:04:05Z"), "node-1", new PeerKey("wg1", TestEvents.KEY),
                TestEvents.peer(TestEvents.KEY, null, null, 0), null, null, null, null, null);
        JsonNode json = mapper.readTree(new JsonPayloadFormat().render(event).body());
        assertEquals("2026-01-02T03:04:05.000Z", json.get("time").textValue());
        JsonNode peer = json.get("peer");
        assertTrue(peer.get("name").isNull());
        assertTrue(peer.get("endpoint").isNull());
        assertTrue(peer.get("lastHandshake").isNull());
        assertEquals(7, names(peer).size(), "null members are present, not omitted");
    }

    @Test
    void jsonRoamedHasTheConnectedShapeAndIpv6EndpointInBrackets() throws Exception {
        PeerEvent event = TestEvents.event(PeerEventType.ROAMED,
                TestEvents.peer(TestEvents.KEY, TestEvents.endpoint("2001:db8::2", 51820), TestEvents.HANDSHAKE, 1), null);
        JsonNode json = mapper.readTree(new JsonPayloadFormat().render(event).body());
        assertEquals("peer.roamed", json.get("event").textValue());
        assertEquals(List.of("id", "event", "time", "host", "interface", "peer", "sessionId"), names(json));
        assertEquals(TestEvents.SESSION.toString(), json.get("sessionId").textValue(), "the session it moved in");
        assertEquals("[2001:db8::2]:51820", json.get("peer").get("endpoint").textValue());
    }

    @Test
    void renderTextIsTheJsonBody() {
        PeerEvent event = TestEvents.connected();
        JsonPayloadFormat format = new JsonPayloadFormat();
        assertEquals(new String(format.render(event).body(), StandardCharsets.UTF_8), format.renderText(event));
    }

    @Test
    void cloudEventsWrapsTheJsonEventAsData() throws Exception {
        PeerEvent event = TestEvents.disconnected(DisconnectReason.IDLE, Duration.ofSeconds(42));
        Payload payload = new CloudEventsPayloadFormat().render(event);
        assertEquals("application/cloudevents+json", payload.contentType());

        JsonNode envelope = mapper.readTree(payload.body());
        assertEquals(List.of("specversion", "type", "source", "subject", "id", "time", "datacontenttype", "data"),
                names(envelope));
        assertEquals("1.0", envelope.get("specversion").textValue());
        assertEquals("io.wgmon.peer.disconnected", envelope.get("type").textValue());
        assertEquals("wgmon://node-1/wg0", envelope.get("source").textValue());
        assertEquals(TestEvents.KEY, envelope.get("subject").textValue());
        assertEquals(event.id().toString(), envelope.get("id").textValue());
        assertEquals("2026-11-25T23:52:51.450Z", envelope.get("time").textValue());
        assertEquals("application/json", envelope.get("datacontenttype").textValue());
        assertEquals(mapper.readTree(new JsonPayloadFormat().render(event).body()), envelope.get("data"));
    }

    @Test
    void cloudEventsSourceIsAValidUriForOddNames() throws Exception {
        PeerEvent event = new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED, TestEvents.TIME, "my host",
                new PeerKey("wg/x@1", TestEvents.KEY), TestEvents.peer(TestEvents.KEY, null, null, 0), null, null, null, null, null);
        String source = mapper.readTree(new CloudEventsPayloadFormat().render(event).body()).get("source").textValue();
        assertEquals("wgmon://my%20host/wg%2Fx%401", source);
        assertEquals("wgmon", new java.net.URI(source).getScheme());
    }

    @Test
    void formReproducesTheOriginalExactly() {
        FormPayloadFormat format = new FormPayloadFormat();
        Payload opened = format.render(TestEvents.connected());
        assertEquals("application/x-www-form-urlencoded", opened.contentType());
        assertEquals("content=Connection+wg0%3ArKi3G%2BUkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM%3D"
                        + "+on+endpoint+192.0.2.2%3A33612+is+opened",
                new String(opened.body(), StandardCharsets.US_ASCII));
        Payload closed = format.render(TestEvents.disconnected(DisconnectReason.IDLE, Duration.ofSeconds(5)));
        assertEquals("content=Connection+wg0%3ArKi3G%2BUkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM%3D"
                        + "+on+endpoint+192.0.2.2%3A33612+is+closed",
                new String(closed.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void formEscapesLikeGoQueryEscape() {
        assertEquals("a%2Ab~c+d%2Fe%3Ff%26g%3Dh%25i.j-k_l", FormPayloadFormat.goQueryEscape("a*b~c d/e?f&g=h%i.j-k_l"));
        PeerEvent odd = new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED, TestEvents.TIME, "node-1",
                new PeerKey("wg~0*", TestEvents.KEY), TestEvents.peer(TestEvents.KEY,
                TestEvents.endpoint("2001:db8::2", 51820), null, 0), null, null, null, null, null);
        assertEquals("content=Connection+wg~0%2A%3ArKi3G%2BUkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM%3D"
                        + "+on+endpoint+%5B2001%3Adb8%3A%3A2%5D%3A51820+is+opened",
                new String(new FormPayloadFormat().render(odd).body(), StandardCharsets.US_ASCII));
    }

    @Test
    void formRoamedAndMissingEndpoint() {
        PeerEvent roamed = TestEvents.event(PeerEventType.ROAMED,
                TestEvents.peer(TestEvents.KEY, TestEvents.endpoint("2001:db8::2", 51820), null, 0), null);
        assertEquals("Connection wg0:" + TestEvents.KEY + " roamed to endpoint [2001:db8::2]:51820",
                FormPayloadFormat.text(roamed));
        PeerEvent noEndpoint = TestEvents.event(PeerEventType.CONNECTED, TestEvents.peer(TestEvents.KEY, null, null, 0), null);
        assertEquals("content=Connection+wg0%3ArKi3G%2BUkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM%3D"
                        + "+on+endpoint+none+is+opened",
                new String(new FormPayloadFormat().render(noEndpoint).body(), StandardCharsets.US_ASCII));
    }

    @Test
    void formatIsChosenByConfig() {
        assertInstanceOf(JsonPayloadFormat.class, PayloadFormat.of(WebhookFormat.JSON));
        assertInstanceOf(CloudEventsPayloadFormat.class, PayloadFormat.of(WebhookFormat.CLOUDEVENTS));
        assertInstanceOf(FormPayloadFormat.class, PayloadFormat.of(WebhookFormat.FORM));
        for (WebhookFormat format : WebhookFormat.values()) {
            assertEquals(format.name().toLowerCase(), PayloadFormat.of(format).name());
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
