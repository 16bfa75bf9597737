package io.wgmon.delivery.format;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a friendly name is written into a chat message so that it reads as itself in that chat: no
 * markup, no link, no mention (a name {@code <!channel> <https://evil|vpn>} must not ping a Slack channel
 * with a link). Names come from files that people other than the operator may write (a peer's own
 * wg-quick comment, a ConfigMap); the fixed words around them need no escaping. Every chat gets the
 * name on one line, so a line break cannot fake a second event.
 */
public enum NameEscaping {
    /** Slack mrkdwn: {@code & < >} as entities (api.slack.com/reference/surfaces/formatting#escaping). */
    SLACK {
        @Override
        String markup(String name) {
            return entities(name);
        }
    },
    /** Mattermost: Markdown escaped by backslashes, {@code & < >} as entities (its Slack-style {@code <!channel>}). */
    MATTERMOST {
        @Override
        String markup(String name) {
            return entities(markdown(name, MARKDOWN));
        }
    },
    /** Discord: Markdown, spoilers, {@code <@id>}, {@code <#channel>} and masked links escaped by backslashes. */
    DISCORD {
        @Override
        String markup(String name) {
            return markdown(name, DISCORD_MARKDOWN);
        }
    },
    /** Teams Adaptive Card TextBlock: the CommonMark subset (bold, italic, lists, links) escaped by backslashes. */
    TEAMS {
        @Override
        String markup(String name) {
            return markdown(name, CARD_MARKDOWN);
        }
    },
    /**
     * Google Chat text: {@code <users/all>}, {@code <users/123>} and {@code <url|text>} start with {@code <};
     * Chat has no escape for it, so a zero-width space follows it and the syntax no longer matches.
     */
    GOOGLE_CHAT {
        @Override
        String markup(String name) {
            return name.replace("<", "<" + ZERO_WIDTH_SPACE);
        }
    },
    /** Plain text with mentions: Telegram without parse_mode ({@code @user}), Matrix {@code m.text} ({@code @room}). */
    PLAIN_WITH_MENTIONS {
        @Override
        String markup(String name) {
            return name;
        }
    },
    /** Plain text, no mentions: ntfy without X-Markdown, Gotify without a markdown content type. */
    PLAIN {
        @Override
        String markup(String name) {
            return name;
        }

        @Override
        String mentions(String name) {
            return name;
        }
    };

    static final String ZERO_WIDTH_SPACE = "\u200B";
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\u0085\\u2028\\u2029]+");
    /** {@code @everyone}, {@code @here}, {@code @channel}, {@code @all}, {@code @room}, {@code @user}... */
    private static final Pattern MENTION = Pattern.compile("@(?=[\\p{L}\\p{N}_])");
    /** Markdown's inline characters; never {@code & < >}, which Mattermost gets as entities. */
    private static final String MARKDOWN = "\\*_~`[]|#";
    /** Discord's Markdown plus block quotes and {@code <@id>}, {@code <#channel>}, {@code <t:...>}. */
    private static final String DISCORD_MARKDOWN = MARKDOWN + "<>";
    /** The Adaptive Card subset: bold, italic, links. */
    private static final String CARD_MARKDOWN = "\\*_[]";
    /** A list item at the start of the line the name begins: "- x", "+ x", "1. x", "1) x". */
    private static final Pattern LIST_MARKER = Pattern.compile("(\\s*)(?:([-+*])|(\\d+)([.)]))");

    /** The name as this chat should get it; null stays null. */
    public String escape(String name) {
        if (name == null) {
            return null;
        }
        return mentions(markup(LINE_BREAKS.matcher(name).replaceAll(" ")));
    }

    abstract String markup(String name);

    /** A zero-width space after {@code @}: the text looks the same, but no chat reads a mention in it. */
    String mentions(String name) {
        return MENTION.matcher(name).replaceAll("@" + ZERO_WIDTH_SPACE);
    }

    static String entities(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String markdown(String text, String special) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        Matcher list = LIST_MARKER.matcher(text);
        int from = 0;
        if (list.lookingAt()) {
            escaped.append(list.group(1)).append(list.group(2) != null ? "\\" + list.group(2)
                    : list.group(3) + "\\" + list.group(4));
            from = list.end();
        }
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (special.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
