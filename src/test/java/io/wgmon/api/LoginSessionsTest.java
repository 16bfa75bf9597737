package io.wgmon.api;

import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginSessionsTest {
    private final ManualTimers timers = new ManualTimers();
    private final LoginSessions sessions = new LoginSessions(Duration.ofHours(1), timers);

    @Test
    void aSessionIsARandomValueBoundToItsPortUntilItExpires() {
        String value = sessions.create(8080);
        assertTrue(value.length() >= 43, value);
        assertTrue(sessions.valid(value, 8080));
        assertFalse(sessions.valid(value, 8081), "another port of the same host name");
        assertFalse(sessions.valid(value + "x", 8080));
        assertFalse(sessions.valid(null, 8080));
        timers.advance(Duration.ofMinutes(59));
        assertTrue(sessions.valid(value, 8080));
        timers.advance(Duration.ofMinutes(1));
        assertFalse(sessions.valid(value, 8080), "expired");
        assertEquals(0, sessions.size());
    }

    @Test
    void logoutEndsTheSession() {
        String value = sessions.create(8080);
        String other = sessions.create(8080);
        sessions.end(value);
        assertFalse(sessions.valid(value, 8080));
        assertTrue(sessions.valid(other, 8080));
    }

    @Test
    void theTableIsBoundedAndANewLoginEndsTheOldest() {
        String oldest = sessions.create(8080);
        Set<String> values = new HashSet<>();
        for (int i = 1; i < LoginSessions.MAX_SESSIONS; i++) {
            timers.advance(Duration.ofSeconds(1));
            values.add(sessions.create(8080));
        }
        assertEquals(LoginSessions.MAX_SESSIONS - 1, values.size(), "every value differs");
        assertTrue(sessions.valid(oldest, 8080));
        sessions.create(8080);
        assertEquals(LoginSessions.MAX_SESSIONS, sessions.size());
        assertFalse(sessions.valid(oldest, 8080));
        assertTrue(values.stream().allMatch(value -> sessions.valid(value, 8080)));
    }
}
