package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which SQLite errors are the store's own (reported once) and which only one write's (reported per write). */
class StoreFaultTest {
    private static Optional<StoreFault.Kind> kindOf(Throwable failure) {
        return StoreFault.of(failure).map(StoreFault::kind);
    }

    private static SQLiteException sqlite(SQLiteErrorCode code) {
        return new SQLiteException("[" + code.name() + "] " + code.message, code);
    }

    @Test
    void primaryCodesOfAFailingStore() {
        assertEquals(Optional.of(StoreFault.Kind.DISK_FULL), kindOf(sqlite(SQLiteErrorCode.SQLITE_FULL)));
        assertEquals(Optional.of(StoreFault.Kind.CORRUPT), kindOf(sqlite(SQLiteErrorCode.SQLITE_CORRUPT)));
        assertEquals(Optional.of(StoreFault.Kind.NOT_A_DATABASE), kindOf(sqlite(SQLiteErrorCode.SQLITE_NOTADB)));
        assertEquals(Optional.of(StoreFault.Kind.IO_ERROR), kindOf(sqlite(SQLiteErrorCode.SQLITE_IOERR)));
        assertEquals(Optional.of(StoreFault.Kind.READ_ONLY), kindOf(sqlite(SQLiteErrorCode.SQLITE_READONLY)));
        assertEquals(Optional.of(StoreFault.Kind.CANNOT_OPEN), kindOf(sqlite(SQLiteErrorCode.SQLITE_CANTOPEN)));
    }

    @Test
    void extendedCodesCountAsTheirPrimaryCode() {
        assertEquals(Optional.of(StoreFault.Kind.IO_ERROR), kindOf(sqlite(SQLiteErrorCode.SQLITE_IOERR_WRITE)));
        assertEquals(Optional.of(StoreFault.Kind.IO_ERROR), kindOf(sqlite(SQLiteErrorCode.SQLITE_IOERR_FSYNC)));
        assertEquals(Optional.of(StoreFault.Kind.CORRUPT), kindOf(sqlite(SQLiteErrorCode.SQLITE_CORRUPT_VTAB)));
        assertEquals(Optional.of(StoreFault.Kind.READ_ONLY),
                kindOf(sqlite(SQLiteErrorCode.SQLITE_READONLY_DBMOVED)));
    }

    @Test
    void foundAnywhereInTheCauseChain() {
        Exception wrapped = new IllegalStateException("rendering the row",
                new SQLException("outer", sqlite(SQLiteErrorCode.SQLITE_FULL)));
        assertEquals(Optional.of(StoreFault.Kind.DISK_FULL), kindOf(wrapped));
    }

    @Test
    void aFailureOfOneWriteIsNotTheStores() {
        assertTrue(kindOf(sqlite(SQLiteErrorCode.SQLITE_CONSTRAINT)).isEmpty());
        assertTrue(kindOf(sqlite(SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)).isEmpty());
        assertTrue(kindOf(sqlite(SQLiteErrorCode.SQLITE_ERROR)).isEmpty(), "an SQL error is a bug in one write");
        assertTrue(kindOf(sqlite(SQLiteErrorCode.SQLITE_BUSY)).isEmpty());
        assertTrue(kindOf(new SQLException("no code")).isEmpty());
        assertTrue(kindOf(new IllegalArgumentException("bad row")).isEmpty());
    }

    @Test
    void onlyDamageIsMovedAside() {
        assertTrue(StoreFault.Kind.CORRUPT.damaged());
        assertTrue(StoreFault.Kind.NOT_A_DATABASE.damaged());
        assertFalse(StoreFault.Kind.DISK_FULL.damaged());
        assertFalse(StoreFault.Kind.IO_ERROR.damaged());
        assertFalse(StoreFault.Kind.READ_ONLY.damaged());
    }

    @Test
    void describedInTheOperatorsWordsThenSqlites() {
        assertEquals("disk full ([SQLITE_FULL] Insertion failed because database is full)",
                StoreFault.of(sqlite(SQLiteErrorCode.SQLITE_FULL)).orElseThrow().describe());
    }
}
