package io.wgmon.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A place in the newest-first order of sessions: the last row of a page, by start and row id. Its text
 * form is opaque to clients (url-safe base64 of "start.rowid") and is checked when read back.
 */
public record SessionCursor(long startMillis, long rowId) {
    public String text() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((startMillis + "." + rowId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor a {@link #text()} made, or empty for anything else. */
    public static Optional<SessionCursor> parse(String text) {
        if (text.length() > 64) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            if (!plain.matches("-?[0-9]{1,19}\\.[0-9]{1,19}")) {
                return Optional.empty();
            }
            int dot = plain.indexOf('.');
            return Optional.of(new SessionCursor(Long.parseLong(plain.substring(0, dot)),
                    Long.parseLong(plain.substring(dot + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
