package io.wgmon.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.util.Optional;

/**
 * A failure of the store itself, not of one write (docs/architecture.md#store): every later commit would fail
 * the same way until the operator (or the disk) changes something, so it is reported once, not per write.
 * Classified by SQLite's primary result code, found anywhere in the cause chain.
 *
 * @param kind   what happened, in the operator's words
 * @param detail SQLite's own message, for the log line
 */
public record StoreFault(Kind kind, String detail) {
    public enum Kind {
        DISK_FULL("disk full"),
        CORRUPT("corrupt page"),
        NOT_A_DATABASE("not a database"),
        IO_ERROR("I/O error"),
        READ_ONLY("read-only"),
        CANNOT_OPEN("cannot open the file");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        /** The file is damaged: only moving it aside (or a backup) helps, not space or permissions. */
        public boolean damaged() {
            return this == CORRUPT || this == NOT_A_DATABASE;
        }
    }

    /** @return the store-level fault behind {@code failure}, or empty when only the write failed */
    public static Optional<StoreFault> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite) {
                Kind kind = kind(sqlite.getResultCode());
                if (kind != null) {
                    return Optional.of(new StoreFault(kind, String.valueOf(sqlite.getMessage())));
                }
            }
        }
        return Optional.empty();
    }

    /** Extended codes (SQLITE_IOERR_WRITE, SQLITE_CORRUPT_INDEX, ...) carry their primary code in the low byte. */
    private static Kind kind(SQLiteErrorCode code) {
        if (code == null) {
            return null;
        }
        return switch (code.code & 0xff) {
            case 13 -> Kind.DISK_FULL;        // SQLITE_FULL
            case 11 -> Kind.CORRUPT;          // SQLITE_CORRUPT
            case 26 -> Kind.NOT_A_DATABASE;   // SQLITE_NOTADB
            case 10 -> Kind.IO_ERROR;         // SQLITE_IOERR
            case 8 -> Kind.READ_ONLY;         // SQLITE_READONLY
            case 14 -> Kind.CANNOT_OPEN;      // SQLITE_CANTOPEN
            default -> null;
        };
    }

    /** One line: the kind, then SQLite's words. */
    public String describe() {
        return kind.words() + " (" + detail + ")";
    }
}
