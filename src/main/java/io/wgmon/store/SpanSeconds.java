package io.wgmon.store;

import java.util.Arrays;

/**
 * A peer's ended sessions in a timeline's window: start, end pairs in whole seconds after the window's from (a
 * start before it is negative), oldest first. Numbers, not JSON text: the answer's writer puts their digits straight
 * into its buffer.
 */
public final class SpanSeconds {
    static final SpanSeconds NONE = new SpanSeconds(new long[0]);

    private final long[] values;

    private SpanSeconds(long[] values) {
        this.values = values;
    }

    /** Start, end, start, end, ...: the array is kept, not copied. */
    static SpanSeconds of(long... values) {
        return values.length == 0 ? NONE : new SpanSeconds(values);
    }

    /** Twice the sessions. */
    public int size() {
        return values.length;
    }

    public long get(int index) {
        return values[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpanSeconds spans && Arrays.equals(values, spans.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** As the API writes them: a JSON array. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",").append(values[i]);
        }
        return text.append(']').toString();
    }
}
