package io.wgmon.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wgmon.delivery.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong tokens from one address: 401 ten times, then 429 for the rest of the minute, the right token too; one log line. */
@QuarkusTest
@TestProfile(FailedTokensThrottleTest.Throttled.class)
class FailedTokensThrottleTest extends FromAnotherHost {

    /** A profile of its own: the source it throttles stays throttled for a minute. */
    public static class Throttled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wgmon.api.token", AccessFilterTest.TOKEN, "quarkus.http.host", "0.0.0.0",
                    "quarkus.management.host", "0.0.0.0");
        }
    }

    @Test
    void tenWrongTokensThenTooManyRequestsForTheRestOfTheMinute() throws Exception {
        try (LogCapture log = LogCapture.warningsOf(AuthFailures.class)) {
            for (int i = 0; i < AuthFailures.LIMIT; i++) {
                String wrong = "Bearer wrong-" + i + "-0123456789abcdef";
                assertEquals(401, RawRequest.get(stranger, main.getPort(), "/api/peers", Map.of("Authorization", wrong))
                        .status(), "try " + (i + 1));
            }
            RawRequest throttled = RawRequest.get(stranger, main.getPort(), "/api/peers",
                    Map.of("Authorization", "Bearer " + AccessFilterTest.TOKEN));
            System.out.println("THROTTLE: 11th try (the right token) -> " + throttled.status() + ", Retry-After "
                    + throttled.header("Retry-After"));
            assertEquals(429, throttled.status(), "the right token too, until the window is over");
            int retryAfter = Integer.parseInt(throttled.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals(429, RawRequest.get(stranger, management.getPort(), "/q/metrics",
                    Map.of("Authorization", "Bearer " + AccessFilterTest.TOKEN)).status(), "both ports");
            assertEquals(429, RawRequest.send(stranger, main.getPort(), "POST", "/login",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), "token=" + AccessFilterTest.TOKEN)
                    .status(), "and the login form");
            assertEquals(200, RawRequest.get("127.0.0.1", main.getPort(), "/api/peers",
                    Map.of("Authorization", "Bearer " + AccessFilterTest.TOKEN)).status(), "another source is not throttled");

            List<String> lines = log.warningsContaining(stranger);
            System.out.println("THROTTLE: log lines: " + lines);
            assertEquals(1, lines.size(), "one line per source and window: " + lines);
            assertFalse(lines.get(0).contains("wrong-0"), "never the token");
        }
    }
}
