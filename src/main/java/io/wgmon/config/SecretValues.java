package io.wgmon.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which configuration values a message may quote. Tokens, secrets, keys, passwords and header values
 * (often {@code Authorization}) are never quoted; of a URL only {@code scheme://host[:port]} is, since
 * receivers (Slack, Discord, Telegram, Google Chat, Gotify, Home Assistant) keep their credential in
 * the path, the query or the user-info.
 */
public final class SecretValues {
    private static final Pattern SECRET_WORD =
            Pattern.compile("token|secret|key|password|passwd|credential|auth|cookie|session");
    private static final Pattern ORIGIN =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]{0,15}://)(?:[^/?#@]*@)?([A-Za-z0-9.\\[\\]:-]*)");

    private SecretValues() {
    }

    /** A URL key: its value is quoted as {@link #origin} only. */
    public static boolean isUrl(String key) {
        String last = lastSegment(key);
        return last.equals("url") || last.endsWith("-url") || last.equals("webhook");
    }

    /** A key whose value is never quoted at all. */
    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains(".headers.") || SECRET_WORD.matcher(lastSegment(lower)).find();
    }

    /**
     * How a message may quote the value of {@code key}: URL keys as their origin, secret keys not at all
     * (null), others cut to 100 characters.
     */
    public static String quotable(String key, String value) {
        if (isUrl(key)) {
            return origin(value);
        }
        return isSecret(key) ? null : ConfigCheck.cut(value);
    }

    /** "https://hooks.slack.com" of any text that starts like a URL, user-info left out; "" otherwise. */
    public static String origin(String url) {
        Matcher matcher = ORIGIN.matcher(url.strip());
        return matcher.lookingAt() ? ConfigCheck.cut(matcher.group(1) + matcher.group(2)) : "";
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
}
