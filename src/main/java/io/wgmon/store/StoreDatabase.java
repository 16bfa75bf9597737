package io.wgmon.store;

import org.jboss.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * wgmon's durable store: one SQLite database, {@value #FILE} in {@code wgmon.store.dir}
 * (docs/architecture.md#store). WAL journal with {@code synchronous=FULL}: a committed transaction survives
 * SIGKILL and power loss, a torn write loses only the transaction it belonged to. The directory and its
 * files are made private to wgmon's user ({@link PrivateStoreFiles}), and the directory is locked
 * ({@value #LOCK}) so a second wgmon cannot open it. Only the
 * {@code wgmon-store} thread touches the connection: writes are grouped into one transaction per batch.
 */
public final class StoreDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreDatabase.class);
    public static final String FILE = "wgmon.db";
    static final String LOCK = "lock";
    /** Left by {@link StoreHealth} when a write found the file damaged: the next start reads every page. */
    static final String DAMAGED_MARK = FILE + ".damaged";
    /**
     * Up to this size a start reads every page; a bigger store (its session history) has every table but
     * {@code session} read, so a start stays short: a damaged session page is found by the write that meets it,
     * which leaves {@link #DAMAGED_MARK} for the next start.
     */
    static final long FULL_CHECK_UP_TO = 256L << 20;
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection connection;
    private final StoreWriter writer;
    private final SessionReader sessions;
    private final TimelineReader timelines;
    private final WalCheckpointer checkpoints;
    private final StoreHealth health;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StoreDatabase(Path dir, FileChannel lockChannel, FileLock lock, Connection connection,
                          SessionReader sessions, WalCheckpointer checkpoints, StoreHealth health) {
        this.dir = dir;
        this.health = health;
        this.sessions = sessions;
        this.timelines = new TimelineReader(dir);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.connection = connection;
        this.checkpoints = checkpoints;
        this.writer = new StoreWriter(connection, health, checkpoints);
    }

    /** @throws StoreException with one line naming the directory and the cause */
    public static StoreDatabase open(Path dir) {
        return open(dir, FULL_CHECK_UP_TO);
    }

    static StoreDatabase open(Path dir, long fullCheckUpTo) {
        FileChannel lockChannel = null;
        try {
            PrivateStoreFiles.folder(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            // before the lock: making a file private opens and closes a descriptor of it, and closing any
            // descriptor of the lock file drops this process's lock on it (POSIX record locks)
            PrivateStoreFiles.files(dir, FILE, LOCK);
            FileLock lock = tryLock(lockChannel);
            if (lock == null) {
                throw new StoreException("the store directory " + dir + " is in use by another wgmon");
            }
            Connection connection = openReadable(dir, fullCheckUpTo);
            SessionReader sessions;
            WalCheckpointer checkpoints;
            try {
                Schema.migrate(connection, dir.resolve(FILE));
                PrivateStoreFiles.files(dir, FILE, LOCK);
                sessions = new SessionReader(connectQueryOnly(dir));
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA wal_autocheckpoint = 0");
                    // the WAL emptied after each checkpoint, so a commit on a full disk fails at once (reported)
                    // instead of filling the space an earlier commit left, and the file stays small
                    statement.execute("PRAGMA journal_size_limit = 0");
                }
                checkpoints = new WalCheckpointer(connect(dir));
            } catch (SQLException | IOException e) {
                connection.close();
                throw e;
            }
            return new StoreDatabase(dir, lockChannel, lock, connection, sessions, checkpoints,
                    new StoreHealth(dir.resolve(FILE)));
        } catch (IOException | SQLException e) {
            closeQuietly(lockChannel);
            throw new StoreException("cannot open the store in " + dir + ": " + reason(e), e);
        } catch (StoreException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /**
     * The store's connection once SQLite has read every page ({@code PRAGMA quick_check}); a file it cannot read
     * (not a database, a corrupt page) is moved aside ({@link DamagedStore}) and a fresh store begins: wgmon
     * must start, and nothing in the file is worth a crash loop (docs/architecture.md#store-failures).
     */
    private static Connection openReadable(Path dir, long fullCheckUpTo) throws SQLException, IOException {
        Path mark = dir.resolve(DAMAGED_MARK);
        boolean everyPage = Files.exists(mark) || !Files.exists(dir.resolve(FILE))
                || Files.size(dir.resolve(FILE)) <= fullCheckUpTo;
        try {
            Connection connection = checked(dir, everyPage);
            Files.deleteIfExists(mark);
            return connection;
        } catch (SQLException e) {
            Optional<StoreFault> fault = StoreFault.of(e);
            if (fault.isEmpty() || !fault.get().kind().damaged()) {
                throw e;
            }
            Path kept = DamagedStore.moveAside(dir, FILE, Instant.now());
            LOG.warnf("store %s is damaged, %s: kept as %s; a fresh store begins (tracker state, undelivered events "
                    + "and session history of before are not in it)", dir.resolve(FILE), fault.get().describe(), kept);
            PrivateStoreFiles.files(dir, FILE, LOCK);
            Connection fresh = checked(dir, true);
            Files.deleteIfExists(mark);
            return fresh;
        }
    }

    private static Connection checked(Path dir, boolean everyPage) throws SQLException {
        Connection connection = connect(dir);
        try (Statement statement = connection.createStatement()) {
            if (everyPage) {
                quickCheck(statement, "PRAGMA quick_check(1)");
            } else {
                List<String> tables = new ArrayList<>();
                try (ResultSet result = statement.executeQuery(
                        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'session'")) {
                    while (result.next()) {
                        tables.add(result.getString(1));
                    }
                }
                for (String table : tables) {
                    quickCheck(statement, "PRAGMA quick_check(\"" + table.replace("\"", "\"\"") + "\")");
                }
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void quickCheck(Statement statement, String pragma) throws SQLException {
        try (ResultSet result = statement.executeQuery(pragma)) {
            String verdict = result.next() ? result.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw new SQLiteException("quick_check: " + verdict.replace('\n', ' '), SQLiteErrorCode.SQLITE_CORRUPT);
            }
        }
    }

    /**
     * A connection of its own on the store in {@code dir}, with the store's settings; the driver is called
     * directly, since DriverManager only sees drivers of the caller's class loader.
     */
    public static Connection connect(Path dir) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + dir.resolve(FILE));
    }

    /** As {@link #connect}, refusing writes: the history readers' connections. */
    static Connection connectQueryOnly(Path dir) throws SQLException {
        Connection connection = connect(dir);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = true");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    public Path dir() {
        return dir;
    }

    /** Queues a write for the next group commit; returns at once. A {@link StoreTransaction} commits as one. */
    public void submit(StoreWrite write) {
        writer.submit(write);
    }

    /** Runs a query on the writer thread and waits for it: for start-up and shutdown, never the scan thread. */
    public <T> T call(StoreQuery<T> query) {
        CompletableFuture<T> result = writer.call(query);
        try {
            return result.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new StoreException("store " + dir + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreException("store " + dir + ": no answer from the store thread in "
                    + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("store " + dir + ": interrupted", e);
        }
    }

    /** Session history, read on a connection of its own (any thread). */
    public SessionReader sessions() {
        return sessions;
    }

    /** The timeline of all peers, read on a connection of its own per request (any thread). */
    public TimelineReader timelines() {
        return timelines;
    }

    /** Whether the store commits, for readiness and metrics. */
    public StoreHealth health() {
        return health;
    }

    /** Transactions committed since open; for tests of group commit. */
    public long commits() {
        return writer.commits();
    }

    /** Whether {@link #close} began: a write submitted since is not committed, and that is no failure. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Commits what is queued, then closes the database and releases the directory; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close();
        checkpoints.close();
        sessions.close();
        try {
            connection.close();
        } catch (SQLException e) {
            // the WAL stays and is replayed at the next open: nothing committed is lost
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    /**
     * The cause in words: a file-system exception's message is often only the path, so its kind
     * (NoSuchFileException, AccessDeniedException, ...) is named too.
     */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
