package io.wgmon.delivery.chat;

import io.wgmon.config.WgmonConfig.ChatPreset;
import io.wgmon.delivery.format.NameEscaping;

import java.time.Duration;
import java.util.Map;

/**
 * The request each preset makes (docs/architecture.md#events), as Qute templates over {@link ChatMessage#data}.
 * Each interval is the service's published limit for one webhook, channel or chat; a chat receiver never
 * sends faster, and what piles up meanwhile becomes one summary.
 */
public final class ChatPresets {
    /** JSON and the plain text of ntfy are UTF-8. */
    static final String JSON = "application/json";

    /**
     * @param headers   header name to a template of its value (ntfy's title, tags and priority)
     * @param put       PUT to the URL plus "/<transaction id>" instead of a POST to the URL (Matrix)
     * @param interval  least time between two messages
     * @param summarize a burst becomes one message; false: every event is its own request (Home Assistant)
     * @param names     how names are written into this chat's text
     */
    public record Spec(String body, String contentType, Map<String, String> headers, boolean put, Duration interval,
                boolean summarize, NameEscaping names) {
    }

    private ChatPresets() {
    }

    public static Spec of(ChatPreset preset) {
        return switch (preset) {
            // api.slack.com/apis/rate-limits: incoming webhooks, 1 message per second (short bursts allowed)
            case SLACK -> chat("{\"text\":{json:str(text)}}", Duration.ofSeconds(1), NameEscaping.SLACK);
            // discord.com/developers/docs/resources/webhook#execute-webhook; 30 messages a minute per channel;
            // allowed_mentions with no parse: whatever a name says, nobody is pinged
            case DISCORD -> chat("""
                    {"embeds":[{"title":{json:str(title)},"description":{json:str(text)},"color":{color},\
                    "timestamp":{json:str(time)}{#if host},"footer":{"text":{json:str(host)}}{/if}}],\
                    "allowed_mentions":{"parse":[]}}""",
                    Duration.ofSeconds(2), NameEscaping.DISCORD);
            // Teams "Send webhook alerts to a channel" workflow: a message with one Adaptive Card attachment
            case TEAMS -> chat("""
                    {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",\
                    "contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json",\
                    "type":"AdaptiveCard","version":"1.4","body":[\
                    {"type":"TextBlock","size":"Medium","weight":"Bolder","text":{json:str(title)},"wrap":true},\
                    {"type":"TextBlock","text":{json:str(text)},"wrap":true}]}}]}""", Duration.ofSeconds(1),
                    NameEscaping.TEAMS);
            // developers.mattermost.com/integrate/webhooks/incoming: {"text": ...}
            case MATTERMOST -> chat("{\"text\":{json:str(text)}}", Duration.ofSeconds(1), NameEscaping.MATTERMOST);
            // developers.google.com/workspace/chat/quickstart/webhooks; 1 write per second per space
            case GOOGLE_CHAT -> chat("{\"text\":{json:str(text)}}", Duration.ofSeconds(1), NameEscaping.GOOGLE_CHAT);
            // core.telegram.org/bots/api#sendmessage; bots FAQ: 20 messages a minute to one group; no
            // parse_mode: plain text, where only @username is read as a mention
            case TELEGRAM -> chat("{\"chat_id\":{json:str(chatId)},\"text\":{json:str(text)}}",
                    Duration.ofSeconds(3), NameEscaping.PLAIN_WITH_MENTIONS);
            // docs.ntfy.sh/publish: the body is the message, X-Title/X-Tags/X-Priority; ntfy.sh refills a
            // visitor's request bucket every 5 s
            case NTFY -> new Spec("{text}", "text/plain; charset=utf-8",
                    Map.of("X-Title", "{title}", "X-Tags", "{ntfyTags}", "X-Priority", "{ntfyPriority}"), false,
                    Duration.ofSeconds(5), true, NameEscaping.PLAIN);
            // gotify.net/api-docs: POST /message {title, message, priority}
            case GOTIFY -> chat("{\"title\":{json:str(title)},\"message\":{json:str(text)},"
                    + "\"priority\":{gotifyPriority}}", Duration.ofSeconds(1), NameEscaping.PLAIN);
            // spec.matrix.org client-server: PUT /rooms/{roomId}/send/m.room.message/{txnId}
            // m.text without formatted_body: plain text, where @room pings the room
            case MATRIX -> new Spec("{\"msgtype\":\"m.text\",\"body\":{json:str(text)}}", JSON, Map.of(), true,
                    Duration.ofSeconds(1), true, NameEscaping.PLAIN_WITH_MENTIONS);
            // home-assistant.io/docs/automation/trigger/#webhook-trigger: the JSON is trigger.json
            case HOME_ASSISTANT -> new Spec("""
                    {"event":{json:str(event)},"id":{json:str(id)},"time":{json:str(time)},\
                    "host":{json:str(host)},"interface":{json:str(interface)},"key":{json:str(key)},\
                    "name":{json:str(name)},"endpoint":{json:str(endpoint)},"reason":{json:str(reason)},\
                    "connected_seconds":{#if connectedSeconds}{connectedSeconds}{#else}null{/if},\
                    "text":{json:str(text)},"detail":{detailJson.raw}}""", JSON, Map.of(), false, Duration.ZERO, false,
                    NameEscaping.PLAIN);
        };
    }

    private static Spec chat(String body, Duration interval, NameEscaping names) {
        return new Spec(body, JSON, Map.of(), false, interval, true, names);
    }

    /** "google-chat", as configured. */
    public static String configName(ChatPreset preset) {
        return preset.name().toLowerCase().replace('_', '-');
    }
}
