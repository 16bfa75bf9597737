package io.wgmon.api;

import io.wgmon.timing.Timers;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The status page's logins (docs/architecture.md#surfaces): the cookie holds a random session value, never
 * the token. Sessions live in memory only, so a restart (and with it a new token) ends them all; each
 * is bound to the server port it was made on, expires after the lifetime, and there are at most
 * {@link #MAX_SESSIONS}: a new login past that ends the oldest.
 */
public final class LoginSessions {
    static final int MAX_SESSIONS = 64;
    private static final int VALUE_BYTES = 32;

    private record Session(int port, Instant expires) {
    }

    private final Duration lifetime;
    private final Timers timers;
    private final SecureRandom random = new SecureRandom();
    /** By the SHA-256 of the value: a lookup's time says nothing about a stored value. */
    private final Map<String, Session> sessions = new HashMap<>();

    public LoginSessions(Duration lifetime, Timers timers) {
        this.lifetime = lifetime;
        this.timers = timers;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session for the server port {@code port}; returns the cookie value. */
    public synchronized String create(int port) {
        Instant now = timers.now();
        sessions.values().removeIf(session -> !session.expires().isAfter(now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Comparator.comparing(entry -> entry.getValue().expires()))
                    .map(Map.Entry::getKey).ifPresent(sessions::remove);
        }
        byte[] bytes = new byte[VALUE_BYTES];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(key(value), new Session(port, now.plus(lifetime)));
        return value;
    }

    /** Whether {@code value} (or null) is a live session made on {@code port}. */
    public synchronized boolean valid(String value, int port) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        String key = key(value);
        Session session = sessions.get(key);
        if (session == null) {
            return false;
        }
        if (!session.expires().isAfter(timers.now())) {
            sessions.remove(key);
            return false;
        }
        return session.port() == port;
    }

    public synchronized void end(String value) {
        if (value != null) {
            sessions.remove(key(value));
        }
    }

    synchronized int size() {
        return sessions.size();
    }

    private static String key(String value) {
        return HexFormat.of().formatHex(ApiAccess.sha256(value));
    }
}
