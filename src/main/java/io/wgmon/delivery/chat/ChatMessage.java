package io.wgmon.delivery.chat;

import io.wgmon.delivery.format.EventFacts;
import io.wgmon.delivery.format.NameEscaping;
import io.wgmon.delivery.format.WireTimes;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The message a chat receiver gets for what was pending at once: one event's line, or one summary of a
 * burst ("300 peers disconnected on node-1", then the first lines and "… and 290 more").
 */
final class ChatMessage {
    /** Lines of single events a summary shows before "… and n more". */
    static final int SUMMARY_LINES = 10;

    private static final int GREEN = 0x2EB67D;
    private static final int RED = 0xE01E5A;
    private static final int BLUE = 0x36C5F0;
    private static final int ORANGE = 0xECB22E;

    private enum Kind {
        CONNECTED("peers", "connected", "green_circle", 3, GREEN, 5),
        DISCONNECTED("peers", "disconnected", "red_circle", 3, RED, 5),
        ROAMED("peers", "roamed", "twisted_rightwards_arrows", 2, BLUE, 2),
        ENDPOINT_CONFLICT("peers", "used from two places", "warning", 4, ORANGE, 6),
        HANDSHAKE_FAILED("sources", "failed handshakes", "no_entry", 3, ORANGE, 5),
        STALE("peers", "stale", "hourglass", 2, BLUE, 3),
        DOWN("peers", "down", "rotating_light", 4, RED, 7),
        UP("peers", "up again", "white_check_mark", 3, GREEN, 5),
        FIRST_SEEN("peers", "connected for the first time", "new", 3, GREEN, 5),
        QUOTA("peers", "over a quota threshold", "bar_chart", 3, ORANGE, 5),
        MIXED("peer events", "changed", "large_blue_circle", 3, BLUE, 5);

        final String noun;
        final String verb;
        final String ntfyTag;
        final int ntfyPriority;
        final int color;
        final int gotifyPriority;

        Kind(String noun, String verb, String ntfyTag, int ntfyPriority, int color, int gotifyPriority) {
            this.noun = noun;
            this.verb = verb;
            this.ntfyTag = ntfyTag;
            this.ntfyPriority = ntfyPriority;
            this.color = color;
            this.gotifyPriority = gotifyPriority;
        }

        static Kind of(EventFacts event) {
            return switch (event.event()) {
                case "peer.connected" -> CONNECTED;
                case "peer.disconnected" -> DISCONNECTED;
                case "peer.roamed" -> ROAMED;
                case "peer.endpoint-conflict" -> ENDPOINT_CONFLICT;
                case "handshake.failed" -> HANDSHAKE_FAILED;
                case "peer.stale" -> STALE;
                case "peer.down" -> DOWN;
                case "peer.up" -> UP;
                case "peer.first-seen" -> FIRST_SEEN;
                case "peer.quota" -> QUOTA;
                default -> MIXED;
            };
        }
    }

    private ChatMessage() {
    }

    /**
     * The data a preset template sees: every field of {@link EventFacts#templateData} (all null in a
     * summary, but {@code host}), plus {@code title}, {@code text}, {@code count}, {@code color} (for
     * embeds and cards), {@code ntfyTags}, {@code ntfyPriority}, {@code gotifyPriority} and {@code chatId}.
     * Names are escaped for the chat wherever they appear ({@code name}, {@code label}, {@code title},
     * {@code text}).
     */
    static Map<String, Object> data(List<EventFacts> raw, String chatId, NameEscaping names) {
        List<EventFacts> events = raw.stream().map(event -> event.withName(names.escape(event.name()))).toList();
        Map<String, Object> data = events.size() == 1 ? events.get(0).templateData() : summaryFields(events);
        Kind kind = kind(events);
        data.put("title", events.size() == 1 ? events.get(0).label() + " " + events.get(0).verb() : summaryTitle(events));
        if (events.size() > 1) {
            data.put("text", summaryText(events));
        }
        data.put("count", events.size());
        data.put("color", kind.color);
        data.put("ntfyTags", kind.ntfyTag);
        data.put("ntfyPriority", kind.ntfyPriority);
        data.put("gotifyPriority", kind.gotifyPriority);
        data.put("chatId", chatId);
        return data;
    }

    private static Kind kind(List<EventFacts> events) {
        Kind first = Kind.of(events.get(0));
        return events.stream().allMatch(e -> Kind.of(e) == first) ? first : Kind.MIXED;
    }

    private static Map<String, Object> summaryFields(List<EventFacts> events) {
        Map<String, Object> data = new LinkedHashMap<>();
        events.get(0).templateData().keySet().forEach(key -> data.put(key, null));
        data.put("host", events.get(0).host());
        data.put("time", WireTimes.withMillis(events.get(events.size() - 1).time()));
        return data;
    }

    /** "300 peers disconnected on node-1", "302 peer events on node-1: 300 disconnected, 2 connected". */
    static String summaryTitle(List<EventFacts> events) {
        String on = events.get(0).host() == null ? "" : " on " + events.get(0).host();
        Kind kind = kind(events);
        if (kind != Kind.MIXED) {
            return events.size() + " " + kind.noun + " " + kind.verb + on;
        }
        Map<Kind, Long> counts = events.stream()
                .collect(Collectors.groupingBy(Kind::of, () -> new EnumMap<>(Kind.class), Collectors.counting()));
        return events.size() + " peer events" + on + ": " + counts.entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey().verb)
                .collect(Collectors.joining(", "));
    }

    private static String summaryText(List<EventFacts> events) {
        StringBuilder text = new StringBuilder(summaryTitle(events));
        events.stream().limit(SUMMARY_LINES).forEach(event -> text.append('\n').append(event.text()));
        if (events.size() > SUMMARY_LINES) {
            text.append("\n… and ").append(events.size() - SUMMARY_LINES).append(" more");
        }
        return text.toString();
    }
}
