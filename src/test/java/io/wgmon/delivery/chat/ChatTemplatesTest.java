package io.wgmon.delivery.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.StartupFailure;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.config.WgmonConfig.ChatPreset;
import io.wgmon.delivery.ConfiguredReceivers;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.format.EventFacts;
import io.wgmon.delivery.format.HumanDuration;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.NameEscaping;
import io.wgmon.delivery.format.Payload;
import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.PeerEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Templates and presets rendered without sending: the readable lines, the helpers, start-up errors. */
class ChatTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static PeerEvent connectedFrom(String ip) {
        PeerEvent event = TestEvents.connected();
        return new PeerEvent(event.id(), event.type(), event.time(), event.host(), event.key(),
                TestEvents.peer(TestEvents.KEY, TestEvents.endpoint(ip, 51820), TestEvents.HANDSHAKE, 180),
                event.name(), null, null, event.sessionId(), null);
    }

    @Test
    void theDefaultLinesReadLikeASentence() {
        assertEquals("alice-laptop (wg0) connected from 198.51.100.7",
                EventFacts.of(connectedFrom("198.51.100.7")).text());
        assertEquals("alice-laptop (wg0) disconnected after 2 h 13 min: idle",
                EventFacts.of(TestEvents.disconnected(DisconnectReason.IDLE, Duration.ofMinutes(133))).text());
        assertEquals("alice-laptop (wg0) connected from 2001:db8::7",
                EventFacts.of(connectedFrom("2001:db8::7")).text());
        PeerEvent unnamed = TestEvents.numbered(TestEvents.KEY, 1);
        assertEquals("rKi3G+Uk… (wg0) connected from 192.0.2.2", EventFacts.of(unnamed).text());
        assertEquals("45 s", HumanDuration.of(Duration.ofSeconds(45)));
        assertEquals("3 min", HumanDuration.of(Duration.ofMinutes(3)));
        assertEquals("1 d 2 h", HumanDuration.of(Duration.ofHours(26)));
    }

    @Test
    void eventsReadBackFromTheirStoredJsonSayTheSame() {
        PeerEvent event = TestEvents.disconnected(DisconnectReason.IDLE, Duration.ofMinutes(133));
        EventFacts stored = EventFacts.fromJson(new JsonPayloadFormat().render(event).body());
        assertEquals(EventFacts.of(event), stored);
    }

    @Test
    void aTemplateSeesTheFieldsAndTheHelpers() throws Exception {
        WebhookReceiver receiver = only(Map.of(
                "wgmon.webhook.receivers.t.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.t.template",
                "{\"who\":{json:str(name)},\"key\":{json:str(key)},\"if\":\"{interface}\",\"from\":{json:str(endpoint)},"
                        + "\"why\":{json:str(reason)},\"for\":\"{human:duration(connectedSeconds)}\",\"on\":\"{host}\","
                        + "\"line\":{json:str(text)},\"session\":\"{sessionId}\",\"rx\":{sessionRxBytes},"
                        + "\"tx\":{sessionTxBytes}}",
                "wgmon.webhook.receivers.t.content-type", "application/vnd.example+json"));
        Payload payload = receiver.format().render(
                TestEvents.disconnected(DisconnectReason.IDLE, Duration.ofMinutes(133)));
        assertEquals("application/vnd.example+json", payload.contentType());
        JsonNode body = JSON.readTree(payload.body());
        assertEquals("alice-laptop", body.get("who").asText());
        assertEquals(TestEvents.KEY, body.get("key").asText());
        assertEquals("wg0", body.get("if").asText());
        assertEquals("192.0.2.2:33612", body.get("from").asText());
        assertEquals("idle", body.get("why").asText());
        assertEquals("2 h 13 min", body.get("for").asText());
        assertEquals("node-1", body.get("on").asText());
        assertEquals("alice-laptop (wg0) disconnected after 2 h 13 min: idle", body.get("line").asText());
        assertEquals(TestEvents.SESSION.toString(), body.get("session").asText());
        assertEquals(180, body.get("rx").asLong());
        assertEquals(92, body.get("tx").asLong());
    }

    @Test
    void theReadmesTemplateRenders() throws Exception {
        WebhookReceiver receiver = only(Map.of(
                "wgmon.webhook.receivers.pager.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.pager.template", "{\"summary\":{json:str(text)},\"peer\":{json:str(name)},"
                        + "\"severity\":\"{#if event == 'peer.disconnected'}warning{#else}info{/if}\"}"));
        JsonNode down = JSON.readTree(receiver.format().render(
                TestEvents.disconnected(DisconnectReason.IDLE, Duration.ofMinutes(133))).body());
        assertEquals("warning", down.get("severity").asText());
        assertEquals("alice-laptop", down.get("peer").asText());
        assertEquals("info", JSON.readTree(receiver.format().render(TestEvents.connected()).body())
                .get("severity").asText());
    }

    @Test
    void jsonStrEscapesWhatANameMayHold() throws Exception {
        PeerEvent event = TestEvents.event(io.wgmon.tracking.PeerEventType.CONNECTED,
                TestEvents.peer(TestEvents.KEY, null, TestEvents.HANDSHAKE, 1), "bob \"the\" phone\n\\ é");
        WebhookReceiver receiver = only(Map.of(
                "wgmon.webhook.receivers.t.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.t.template", "{\"n\":{json:str(name)},\"e\":{json:str(endpoint)}}"));
        JsonNode body = JSON.readTree(receiver.format().render(event).body());
        assertEquals("bob \"the\" phone\n\\ é", body.get("n").asText());
        assertTrue(body.get("e").isNull());
    }

    @Test
    void aTemplateThatDoesNotCompileStopsStartUpWithOneLineNamingReceiverAndLine() {
        StartupFailure failure = assertThrows(StartupFailure.class, () -> only(Map.of(
                "wgmon.webhook.receivers.ops.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.ops.template", "{\n\"a\": \"{name}\",\n\"b\": \"{#if name}x{/for}\"\n}")));
        String message = failure.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith("wgmon.webhook.receivers.ops.template does not compile: line 3:"), message);

        StartupFailure unknown = assertThrows(StartupFailure.class, () -> only(Map.of(
                "wgmon.webhook.receivers.ops.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.ops.template", "{\"a\":\n\"{nmae}\"}")));
        assertTrue(unknown.getMessage().startsWith("wgmon.webhook.receivers.ops.template does not compile: line 2:"),
                unknown.getMessage());
        assertFalse(unknown.getMessage().contains("\n"), unknown.getMessage());
    }

    @Test
    void aTemplateFileIsNamedByItsPath() throws Exception {
        Path file = Files.createTempFile("wgmon-template", ".qute");
        try {
            Files.writeString(file, "{name} {verb}");
            WebhookReceiver receiver = only(Map.of(
                    "wgmon.webhook.receivers.f.url", "http://127.0.0.1:9/hook",
                    "wgmon.webhook.receivers.f.template-file", file.toString(),
                    "wgmon.webhook.receivers.f.content-type", "text/plain"));
            assertEquals("alice-laptop connected",
                    new String(receiver.format().render(TestEvents.connected()).body(), StandardCharsets.UTF_8));
            Files.writeString(file, "{name");
            StartupFailure failure = assertThrows(StartupFailure.class, () -> only(Map.of(
                    "wgmon.webhook.receivers.f.url", "http://127.0.0.1:9/hook",
                    "wgmon.webhook.receivers.f.template-file", file.toString())));
            assertTrue(failure.getMessage().startsWith("wgmon.webhook.receivers.f.template-file=" + file
                    + " does not compile: line 1:"), failure.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void everyPresetRendersOneEventAndASummary() throws Exception {
        for (ChatPreset preset : ChatPreset.values()) {
            String name = ChatPresets.configName(preset);
            WebhookReceiver receiver = only(Map.of(
                    "wgmon.webhook.receivers.p.url", "http://127.0.0.1:9/hook",
                    "wgmon.webhook.receivers.p.preset", name,
                    "wgmon.webhook.receivers.p.chat-id", "-100123"));
            if (preset == ChatPreset.HOME_ASSISTANT) {
                JsonNode body = JSON.readTree(receiver.format().render(TestEvents.connected()).body());
                assertEquals("peer.connected", body.get("event").asText(), name);
                assertTrue(receiver.chat().isEmpty(), "Home Assistant gets every event");
                continue;
            }
            ChatRenderer chat = receiver.chat().orElseThrow();
            ChatRenderer.Message one = chat.render(List.of(EventFacts.of(connectedFrom("198.51.100.7"))));
            String text = new String(one.payload().body(), StandardCharsets.UTF_8);
            assertTrue(text.contains("alice-laptop (wg0) connected from 198.51.100.7"), name + ": " + text);
            List<EventFacts> burst = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                burst.add(EventFacts.of(TestEvents.disconnected(DisconnectReason.INTERFACE_DOWN, Duration.ofHours(1))));
            }
            ChatRenderer.Message summary = chat.render(burst);
            String summaryText = new String(summary.payload().body(), StandardCharsets.UTF_8);
            assertTrue(summaryText.contains("300 peers disconnected on node-1"), name + ": " + summaryText);
            assertTrue(summaryText.contains("and 290 more"), name + ": " + summaryText);
            if (!preset.equals(ChatPreset.NTFY)) {
                JSON.readTree(one.payload().body());
                JSON.readTree(summary.payload().body());
            }
        }
    }

    private static final String HOSTILE = "<!channel> @everyone @here @channel @all @room **bold** <users/all> "
            + "<https://evil|vpn> [vpn](https://evil) <@123> && x\n- a second line";

    /** What each preset's message says when a name is hostile: one line, no ping, no link, no markup. */
    private static String hostileText(ChatPreset preset) throws Exception {
        ChatRenderer chat = only(Map.of(
                "wgmon.webhook.receivers.p.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.p.preset", ChatPresets.configName(preset),
                "wgmon.webhook.receivers.p.chat-id", "-100123")).chat().orElseThrow();
        PeerEvent event = TestEvents.event(io.wgmon.tracking.PeerEventType.CONNECTED, TestEvents.peer(TestEvents.KEY,
                TestEvents.endpoint("198.51.100.7", 51820), TestEvents.HANDSHAKE, 1), HOSTILE);
        ChatRenderer.Message message = chat.render(List.of(EventFacts.of(event)));
        String body = new String(message.payload().body(), StandardCharsets.UTF_8);
        String text = switch (preset) {
            case NTFY -> body;
            case DISCORD -> JSON.readTree(body).get("embeds").get(0).get("description").asText();
            case TEAMS -> JSON.readTree(body).get("attachments").get(0).get("content").get("body").get(1).get("text")
                    .asText();
            case GOTIFY -> JSON.readTree(body).get("message").asText();
            case MATRIX -> JSON.readTree(body).get("body").asText();
            default -> JSON.readTree(body).get("text").asText();
        };
        assertFalse(text.contains("\n"), preset + ": a name's line break makes a second line: " + text);
        assertTrue(text.endsWith(" (wg0) connected from 198.51.100.7"), preset + ": " + text);
        return text;
    }

    private static void noMention(ChatPreset preset, String text) {
        for (String mention : List.of("@everyone", "@here", "@channel", "@all", "@room", "@123")) {
            assertFalse(text.contains(mention), preset + " reads " + mention + " as a mention: " + text);
        }
    }

    @Test
    void slackAndMattermostGetNamesWithoutMentionsLinksOrMarkup() throws Exception {
        String slack = hostileText(ChatPreset.SLACK);
        assertFalse(slack.contains("<") || slack.contains(">"), "Slack reads <...> as a link or a mention: " + slack);
        assertTrue(slack.startsWith("&lt;!channel&gt; "), slack);
        assertTrue(slack.contains("&lt;https://evil|vpn&gt;") && slack.contains("&amp;&amp; x"), slack);
        noMention(ChatPreset.SLACK, slack);

        String mattermost = hostileText(ChatPreset.MATTERMOST);
        assertFalse(mattermost.contains("<") || mattermost.contains(">"), mattermost);
        assertTrue(mattermost.contains("\\*\\*bold\\*\\*") && mattermost.contains("\\[vpn\\](https://evil)"),
                mattermost);
        assertTrue(mattermost.contains("&lt;https://evil\\|vpn&gt;"), mattermost);
        noMention(ChatPreset.MATTERMOST, mattermost);
    }

    @Test
    void discordGetsEscapedMarkdownAndNoMentionIsEverParsed() throws Exception {
        String discord = hostileText(ChatPreset.DISCORD);
        for (int i = 0; i < discord.length(); i++) {
            if ("<>*[]|".indexOf(discord.charAt(i)) >= 0) {
                assertEquals('\\', discord.charAt(i - 1), "unescaped at " + i + ": " + discord);
            }
        }
        noMention(ChatPreset.DISCORD, discord);
        ChatRenderer chat = only(Map.of("wgmon.webhook.receivers.p.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.p.preset", "discord")).chat().orElseThrow();
        JsonNode body = JSON.readTree(chat.render(List.of(EventFacts.of(TestEvents.connected()))).payload().body());
        assertTrue(body.get("allowed_mentions").get("parse").isArray(), body.toString());
        assertEquals(0, body.get("allowed_mentions").get("parse").size(), "no mention of any kind pings: " + body);
    }

    @Test
    void teamsGoogleChatTelegramAndMatrixGetNamesThatReadAsThemselves() throws Exception {
        String teams = hostileText(ChatPreset.TEAMS);
        assertTrue(teams.contains("\\*\\*bold\\*\\*") && teams.contains("\\[vpn\\](https://evil)"), teams);
        String chat = hostileText(ChatPreset.GOOGLE_CHAT);
        assertFalse(chat.contains("<users/") || chat.contains("<https:") || chat.contains("<!channel"),
                "Google Chat reads <users/all> as a mention of everyone: " + chat);
        noMention(ChatPreset.GOOGLE_CHAT, chat);
        String telegram = hostileText(ChatPreset.TELEGRAM);
        assertTrue(telegram.startsWith("<!channel> "), "plain text stays as written: " + telegram);
        noMention(ChatPreset.TELEGRAM, telegram);
        noMention(ChatPreset.MATRIX, hostileText(ChatPreset.MATRIX));
        assertTrue(hostileText(ChatPreset.NTFY).startsWith("<!channel> @everyone"), "ntfy has no markup or mentions");
        assertTrue(hostileText(ChatPreset.GOTIFY).startsWith("<!channel> @everyone"), "gotify neither");
    }

    @Test
    void aListMarkerAtTheStartOfANameIsEscaped() {
        assertEquals("\\- x", NameEscaping.DISCORD.escape("- x"));
        assertEquals("1\\. x", NameEscaping.TEAMS.escape("1. x"));
        assertEquals("\\# x", NameEscaping.MATTERMOST.escape("# x"));
        assertEquals("alice-laptop", NameEscaping.DISCORD.escape("alice-laptop"));
        assertEquals(null, NameEscaping.SLACK.escape(null));
    }

    /** A JSON template writes values JSON-escaped by default: a name cannot end the string or add fields. */
    @Test
    void aJsonTemplateEscapesEveryValueByDefault() throws Exception {
        String name = "bob\", \"admin\": true, \"x\": \"\n\\";
        PeerEvent event = TestEvents.event(io.wgmon.tracking.PeerEventType.CONNECTED,
                TestEvents.peer(TestEvents.KEY, null, TestEvents.HANDSHAKE, 1), name);
        WebhookReceiver receiver = only(Map.of(
                "wgmon.webhook.receivers.t.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.t.template", "{\"peer\":\"{name}\",\"text\":\"{text}\",\"n\":{json:str(name)}}"));
        JsonNode body = JSON.readTree(receiver.format().render(event).body());
        assertEquals(3, body.size(), body.toString());
        assertEquals(name, body.get("peer").asText());
        assertEquals(name, body.get("n").asText());
        assertFalse(body.has("admin"), body.toString());
        WebhookReceiver raw = only(Map.of(
                "wgmon.webhook.receivers.t.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.t.template", "{\"a\":\"{verb}\",\"b\":{verb.raw}}"));
        assertEquals("{\"a\":\"connected\",\"b\":connected}",
                new String(raw.format().render(event).body(), StandardCharsets.UTF_8), ".raw writes a value as it is");
        WebhookReceiver plain = only(Map.of(
                "wgmon.webhook.receivers.t.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.t.content-type", "text/plain",
                "wgmon.webhook.receivers.t.template", "{name}"));
        assertEquals(name, new String(plain.format().render(event).body(), StandardCharsets.UTF_8),
                "other content types are written as they are");
    }

    @Test
    void aHeaderThatIsNotAsciiIsAnRfc2047EncodedWord() {
        assertEquals("alice-laptop connected", ChatRenderer.headerValue("alice-laptop connected"));
        String encoded = ChatRenderer.headerValue("rKi3G+Uk… connected");
        assertTrue(encoded.startsWith("=?UTF-8?B?") && encoded.endsWith("?="), encoded);
        assertEquals("rKi3G+Uk… connected", new String(java.util.Base64.getDecoder().decode(
                encoded.substring(10, encoded.length() - 2)), StandardCharsets.UTF_8));
    }

    @Test
    void aReceiverHasOneBodyAndTelegramAChat() {
        List<String> problems = io.wgmon.config.ConfigCheck.problems(TestWgmonConfig.of(Map.of(
                "wgmon.webhook.receivers.a.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.a.preset", "slack",
                "wgmon.webhook.receivers.a.format", "form",
                "wgmon.webhook.receivers.b.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.b.preset", "telegram")));
        assertEquals(List.of("wgmon.webhook.receivers.a.preset and wgmon.webhook.receivers.a.format are both set: a "
                        + "receiver's body comes from one of them",
                "wgmon.webhook.receivers.b.preset=telegram needs wgmon.webhook.receivers.b.chat-id: the chat the bot "
                        + "writes to"), problems);
    }

    private static WebhookReceiver only(Map<String, String> config) {
        List<WebhookReceiver> receivers = ConfiguredReceivers.of(TestWgmonConfig.of(config).webhook());
        assertEquals(1, receivers.size());
        return receivers.get(0);
    }
}
