package io.wgmon.capture;

import io.wgmon.timing.Backoff;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** The shared {@link Backoff} with its jitter pinned to the top, so tests see exact delays: 100, 200, 400 ms... */
public final class BackoffWithoutJitter {

    private BackoffWithoutJitter() {
    }

    public static Backoff of(Duration initial, Duration max) {
        return new Backoff(initial, max, new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded draws are pinned");
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        });
    }
}
