package io.wgmon.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the store commits (docs/architecture.md#store-failures). The writer reports every outcome; a store
 * fault is logged once when it begins (and again only when its kind changes), its end once, at the first
 * commit that succeeds again (never for a damaged file). Nothing polls: the next commit is the retry.
 * Readiness and metrics read it.
 */
public final class StoreHealth {
    private static final Logger LOG = Logger.getLogger(StoreHealth.class);

    private final Path file;
    private final AtomicLong lostWrites = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    private volatile StoreFault fault;
    // writer thread only
    private long failingSinceNanos;
    private long lostAtStart;

    StoreHealth(Path file) {
        this.file = file;
    }

    /**
     * A transaction that changed rows committed: space or access is back. A damaged file stays damaged, however
     * many writes miss its bad pages, until the next start moves it aside.
     */
    void committed() {
        StoreFault ended = fault;
        if (ended == null || ended.kind().damaged()) {
            return;
        }
        fault = null;
        LOG.infof("store %s commits again after %d s of %s: %d writes were lost meanwhile (events were delivered "
                        + "from memory)", file, (System.nanoTime() - failingSinceNanos) / 1_000_000_000L,
                ended.kind().words(), lostWrites.get() - lostAtStart);
    }

    /** {@code writes} were not committed because of {@code failure}. */
    void failed(StoreFault failure, int writes) {
        StoreFault before = fault;
        if (before == null) {
            failingSinceNanos = System.nanoTime();
            lostAtStart = lostWrites.get();
        }
        lostWrites.addAndGet(writes);
        fault = failure;
        if (before != null && before.kind() == failure.kind()) {
            return;
        }
        faults.incrementAndGet();
        if (failure.kind().damaged()) {
            markDamaged();
        }
        LOG.errorf("store %s cannot commit: %s; connect and disconnect events are still delivered, from memory "
                + "only, and tracker state, session history and undelivered events are not saved (counted in "
                + "wgmon_store_lost_writes_total) until a commit succeeds again: each new commit tries%s", file,
                failure.describe(), failure.kind().damaged()
                        ? "; the next start moves the file aside and begins a fresh store" : "");
    }

    /** So that the next start reads every page of the file, however big, and moves it aside. */
    private void markDamaged() {
        try {
            Files.writeString(file.resolveSibling(StoreDatabase.DAMAGED_MARK), Instant.now() + "\n");
        } catch (IOException e) {
            LOG.debugf("cannot leave %s: %s", StoreDatabase.DAMAGED_MARK, e.getMessage());
        }
    }

    /** {@code wgmon_store_failing} (1 while the store cannot commit) and {@code wgmon_store_lost_writes_total}. */
    public void register(MeterRegistry registry) {
        Gauge.builder("wgmon.store.failing", this, health -> health.fault == null ? 0 : 1)
                .description("1 while the store cannot commit (disk full, corrupt, I/O error): events are delivered "
                        + "from memory only").register(registry);
        FunctionCounter.builder("wgmon.store.lost.writes", lostWrites, AtomicLong::get)
                .description("Store writes (a scan's transaction is one) not saved because the store failed")
                .register(registry);
    }

    /** The current fault in one line, empty while the store commits. */
    public Optional<String> failing() {
        StoreFault current = fault;
        return current == null ? Optional.empty() : Optional.of(file + ": " + current.describe());
    }

    /** Writes (a scan's transaction is one) not saved because the store failed, since start. */
    public long lostWrites() {
        return lostWrites.get();
    }

    /** Failures logged since start: a fault's beginning, or a change of its kind. */
    public long faults() {
        return faults.get();
    }
}
