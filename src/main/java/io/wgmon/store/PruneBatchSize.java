package io.wgmon.store;

import java.time.Duration;

/**
 * How many rows the next pruning batch deletes, sized by how long the last one took: a scan's commit queued
 * behind a batch waits for it (SQLite has one writer), so a batch should take about {@code target}. A
 * batch that took less than half of it doubles the next; one that took longer shrinks the next in
 * proportion. Used on the store thread only.
 */
final class PruneBatchSize {
    private final int max;
    private final long targetNanos;
    private int size;

    PruneBatchSize(int first, int max, Duration target) {
        this.size = first;
        this.max = max;
        this.targetNanos = target.toNanos();
    }

    int next() {
        return size;
    }

    /** The last batch deleted {@code deleted} rows in {@code tookNanos}. */
    void took(int deleted, long tookNanos) {
        if (deleted < size) {
            return; // a short batch ran out of rows: its time says little about a full one
        }
        if (tookNanos < targetNanos / 2) {
            size = Math.min(max, size * 2);
        } else if (tookNanos > targetNanos) {
            size = (int) Math.max(1, size * targetNanos / tookNanos);
        }
    }
}
