package io.wgmon.delivery.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.config.WgmonConfig.ChatPreset;
import io.wgmon.delivery.ConfiguredReceivers;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.format.CloudEventsPayloadFormat;
import io.wgmon.delivery.format.EventFacts;
import io.wgmon.delivery.format.FormPayloadFormat;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.tracking.EventDetail;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event type through every sink: json, CloudEvents, form, templates, chat presets (docs/architecture.md#events). */
class EveryKindRenderedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<PeerEventType, PeerEvent> EVENTS = TestEvents.everyKind();

    private static final Map<PeerEventType, String> SENTENCES = Map.of(
            PeerEventType.CONNECTED, "alice-laptop (wg0) connected from 192.0.2.2",
            PeerEventType.DISCONNECTED, "alice-laptop (wg0) disconnected after 2 h 13 min: idle",
            PeerEventType.ROAMED, "alice-laptop (wg0) roamed to 192.0.2.2 from 198.51.100.7 (3 more roams not reported)",
            PeerEventType.ENDPOINT_CONFLICT, "alice-laptop (wg0) is used from 2 endpoints at once (192.0.2.2:33612, "
                    + "203.0.113.5:40000): 4 flips in 10 min; is a config copied?",
            PeerEventType.HANDSHAKE_FAILED, "Failed handshakes on wg0 from 203.0.113.9:4242: 12 initiations with a "
                    + "valid MAC1, so the sender knows this interface's key (a removed peer or an old config?); "
                    + "5 more sources failed too, not reported one by one",
            PeerEventType.STALE, "alice-laptop (wg0) has never connected for 24 d 23 h (since 2026-11-01T00:00:00Z)",
            PeerEventType.DOWN, "alice-laptop (wg0) is down: no handshake for 5 min",
            PeerEventType.UP, "alice-laptop (wg0) is up again after 42 min, from 192.0.2.2",
            PeerEventType.FIRST_SEEN, "alice-laptop (wg0) connected for the first time, from 192.0.2.2",
            PeerEventType.QUOTA, "alice-laptop (wg0) used 80 % of its quota: 80.5 GB of 100.0 GB for 24 d 23 h "
                    + "(since 2026-11-01T00:00:00Z)");

    @Test
    void everyTypeHasAnExampleAndASentence() {
        for (PeerEventType type : PeerEventType.values()) {
            assertTrue(EVENTS.containsKey(type), type.wireName());
            assertEquals(SENTENCES.get(type), EventFacts.of(EVENTS.get(type)).text(), type.wireName());
        }
    }

    @Test
    void jsonCarriesTheDetailAndASourceEventHasNoPeer() throws Exception {
        for (PeerEvent event : EVENTS.values()) {
            JsonNode json = JSON.readTree(new JsonPayloadFormat().render(event).body());
            String type = event.type().wireName();
            assertEquals(type, json.get("event").asText());
            assertEquals("wg0", json.get("interface").asText());
            if (event.detail() == null) {
                assertFalse(json.has("detail"), type);
                continue;
            }
            JsonNode detail = json.get("detail");
            assertEquals(List.copyOf(event.detail().fields().keySet()), fieldNames(detail), type);
            if (event.aboutPeer()) {
                assertEquals(TestEvents.KEY, json.get("peer").get("publicKey").asText(), type);
            } else {
                assertTrue(json.get("peer").isNull(), type);
                assertFalse(new String(new JsonPayloadFormat().render(event).body(), StandardCharsets.UTF_8)
                        .contains("publicKey"), type);
                assertEquals("203.0.113.9:4242", detail.get("source").asText());
                assertEquals("2026-11-25T23:52:21Z", detail.get("windowStart").asText());
            }
        }
        JsonNode conflict = JSON.readTree(new JsonPayloadFormat().render(EVENTS.get(PeerEventType.ENDPOINT_CONFLICT)).body());
        assertEquals("203.0.113.5:40000", conflict.get("detail").get("endpoints").get(1).asText());
        JsonNode stale = JSON.readTree(new JsonPayloadFormat().render(EVENTS.get(PeerEventType.STALE)).body());
        assertTrue(stale.get("detail").get("neverConnected").asBoolean());
        assertTrue(stale.get("detail").get("lastHandshake").isNull());
    }

    @Test
    void storedJsonReadsBackToTheSameFacts() {
        for (PeerEvent event : EVENTS.values()) {
            assertEquals(EventFacts.of(event), EventFacts.fromJson(new JsonPayloadFormat().render(event).body()),
                    event.type().wireName());
        }
    }

    @Test
    void cloudEventsTypeSubjectAndData() throws Exception {
        for (PeerEvent event : EVENTS.values()) {
            JsonNode envelope = JSON.readTree(new CloudEventsPayloadFormat().render(event).body());
            assertEquals("io.wgmon." + event.type().wireName(), envelope.get("type").asText());
            assertEquals(event.aboutPeer() ? TestEvents.KEY : "203.0.113.9:4242", envelope.get("subject").asText());
            assertEquals(JSON.readTree(new JsonPayloadFormat().render(event).body()), envelope.get("data"));
        }
    }

    @Test
    void formSaysEachKindInTheOriginalsStyle() {
        Map<PeerEventType, String> lines = EVENTS.values().stream().collect(Collectors.toMap(PeerEvent::type,
                event -> URLDecoder.decode(new String(new FormPayloadFormat().render(event).body(),
                        StandardCharsets.US_ASCII).substring("content=".length()), StandardCharsets.UTF_8)));
        String connection = "Connection wg0:" + TestEvents.KEY;
        assertEquals(connection + " on endpoint 192.0.2.2:33612 is opened", lines.get(PeerEventType.CONNECTED));
        assertEquals(connection + " roamed to endpoint 192.0.2.2:33612", lines.get(PeerEventType.ROAMED));
        assertEquals(connection + " is used from endpoints [192.0.2.2:33612, 203.0.113.5:40000] at once (4 flips)",
                lines.get(PeerEventType.ENDPOINT_CONFLICT));
        assertEquals("Handshake failed on wg0 from 203.0.113.9:4242: 12 initiations, 12 with a valid MAC1, 0 invalid "
                + "(and 5 more sources)", lines.get(PeerEventType.HANDSHAKE_FAILED));
        assertEquals(connection + " has never connected", lines.get(PeerEventType.STALE));
        assertEquals(connection + " is down: no handshake since 2026-11-25T23:47:51Z", lines.get(PeerEventType.DOWN));
        assertEquals(connection + " on endpoint 192.0.2.2:33612 is up again", lines.get(PeerEventType.UP));
        assertEquals(connection + " on endpoint 192.0.2.2:33612 is opened for the first time",
                lines.get(PeerEventType.FIRST_SEEN));
        assertEquals(connection + " used 80500000000 bytes, 80 % of its quota of 100000000000 bytes",
                lines.get(PeerEventType.QUOTA));
    }

    @Test
    void aTemplateMayNameEveryDetailFieldAndRendersForEveryKind() throws Exception {
        StringBuilder template = new StringBuilder("{\"event\":{json:str(event)},\"detail\":{detailJson.raw}");
        for (String field : EventDetail.FIELD_NAMES) {
            template.append(",\"").append(field).append("\":\"{").append(field).append("}\"");
        }
        template.append('}');
        WebhookReceiver receiver = only(Map.of("wgmon.webhook.receivers.t.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.t.template", template.toString()));
        for (PeerEvent event : EVENTS.values()) {
            JsonNode body = JSON.readTree(receiver.format().render(event).body());
            assertEquals(event.type().wireName(), body.get("event").asText());
            JsonNode json = JSON.readTree(new JsonPayloadFormat().render(event).body());
            assertEquals(json.has("detail") ? json.get("detail") : JSON.createObjectNode(), body.get("detail"));
        }
        JsonNode roamed = JSON.readTree(receiver.format().render(EVENTS.get(PeerEventType.ROAMED)).body());
        assertEquals("198.51.100.7:51820", roamed.get("previousEndpoint").asText());
        assertEquals("3", roamed.get("suppressed").asText());
    }

    @Test
    void everyPresetSaysEveryKindAndSummarisesAMix() throws Exception {
        for (ChatPreset preset : ChatPreset.values()) {
            String name = ChatPresets.configName(preset);
            WebhookReceiver receiver = only(Map.of("wgmon.webhook.receivers.p.url", "http://127.0.0.1:9/hook",
                    "wgmon.webhook.receivers.p.preset", name, "wgmon.webhook.receivers.p.chat-id", "-100123"));
            if (receiver.chat().isEmpty()) {
                for (PeerEvent event : EVENTS.values()) {
                    JsonNode body = JSON.readTree(receiver.format().render(event).body());
                    assertEquals(SENTENCES.get(event.type()), body.get("text").asText(), name);
                    assertEquals(JSON.readTree(new JsonPayloadFormat().render(event).body()).path("detail").isMissingNode()
                            ? JSON.createObjectNode() : JSON.readTree(new JsonPayloadFormat().render(event).body())
                            .get("detail"), body.get("detail"), name);
                }
                continue;
            }
            ChatRenderer chat = receiver.chat().get();
            for (PeerEvent event : EVENTS.values()) {
                String body = new String(chat.render(List.of(EventFacts.of(event))).payload().body(),
                        StandardCharsets.UTF_8);
                String expected = SENTENCES.get(event.type());
                assertTrue(body.contains(preset == ChatPreset.NTFY ? expected : expected.replace("\"", "\\\"")),
                        name + ": " + body);
                if (preset != ChatPreset.NTFY) {
                    JSON.readTree(body);
                }
            }
            List<EventFacts> mix = EVENTS.values().stream().map(EventFacts::of).toList();
            String summary = new String(chat.render(mix).payload().body(), StandardCharsets.UTF_8);
            assertTrue(summary.contains("10 peer events on node-1: 1 connected, 1 disconnected, 1 roamed"),
                    name + ": " + summary);
            assertTrue(summary.contains("1 failed handshakes"), name + ": " + summary);
        }
    }

    @Test
    void aFailedHandshakesSentenceSaysWhetherTheSenderKnowsTheKey() {
        assertEquals("Failed handshakes on wg0 from 198.18.0.3:40000: 1 initiation with an invalid MAC1, so the sender "
                + "does not know this interface's key (a scanner or garbage)", failed(1, 0, 1, 0));
        assertEquals("Failed handshakes on wg0 from 198.18.0.3:40000: 9 initiations, 4 with a valid MAC1 (the sender "
                + "knows this interface's key), 3 with an invalid one, 2 not checked; 1 more source failed too, not "
                + "reported one by one", failed(9, 4, 3, 1));
        assertEquals("Failed handshakes on wg0 from 198.18.0.3:40000: 2 initiations, MAC1 not checked (the interface's "
                + "key was not read yet)", failed(2, 0, 0, 0));
    }

    private static String failed(long initiations, long valid, long invalid, long summary) {
        return EventFacts.of(PeerEvent.aboutSource(java.util.UUID.randomUUID(), PeerEventType.HANDSHAKE_FAILED,
                java.time.Instant.EPOCH, "node-1", "wg0", new EventDetail.HandshakeFailed("198.18.0.3:40000",
                        initiations, valid, invalid, java.time.Instant.EPOCH, java.time.Instant.EPOCH, summary))).text();
    }

    @Test
    void aSourceEventsLabelIsItsSourceNotAKey() {
        EventFacts facts = EventFacts.of(EVENTS.get(PeerEventType.HANDSHAKE_FAILED));
        assertNull(facts.key());
        assertEquals("203.0.113.9:4242", facts.label());
        assertEquals("handshake.failed wg0 {source=203.0.113.9:4242, initiations=12, validMac1=12, invalidMac1=0, "
                + "windowStart=2026-11-25T23:52:21.450Z, windowEnd=2026-11-25T23:52:51.450Z, summary=5}",
                EVENTS.get(PeerEventType.HANDSHAKE_FAILED).describe());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static WebhookReceiver only(Map<String, String> config) {
        List<WebhookReceiver> receivers = ConfiguredReceivers.of(TestWgmonConfig.of(config).webhook());
        assertEquals(1, receivers.size());
        return receivers.get(0);
    }
}
