package io.wgmon.store;

/** The store cannot be opened or used; the message is one line that names the directory. */
public final class StoreException extends IllegalStateException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
