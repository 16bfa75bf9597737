package io.wgmon.tracking;

import io.wgmon.store.PeerStateChanges;

import java.util.List;

/**
 * Where a scan's outcome leaves tracking (docs/architecture.md#pipeline, docs/architecture.md#delivery): its events and the tracker's state
 * changes, made durable together or not at all, so a crash neither reports an event twice nor loses one.
 * Delivery implements it; the event stream that SSE, metrics and logs read sees the events after this call.
 */
public interface EventOutbox {
    /**
     * On the scan thread, once per scan (and once at shutdown with no events): admits every event for every
     * receiver and hands the deliveries and {@code changes} to the store as one transaction. Returns without
     * waiting for the disk; never throws for a bad event.
     */
    void commit(List<PeerEvent> events, PeerStateChanges changes);
}
