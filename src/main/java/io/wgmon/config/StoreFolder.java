package io.wgmon.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the store lives: {@code wgmon.store.dir}, else its deprecated alias {@code wgmon.webhook.spool-dir}.
 *
 * @param key the key that named it, for messages
 */
public record StoreFolder(String key, Path dir) {
    public static final String KEY = "wgmon.store.dir";
    public static final String ALIAS = "wgmon.webhook.spool-dir";

    public static Optional<StoreFolder> of(WgmonConfig config) {
        return config.store().dir().map(dir -> new StoreFolder(KEY, dir))
                .or(() -> config.webhook().spoolDir().map(dir -> new StoreFolder(ALIAS, dir)));
    }

    public boolean deprecated() {
        return key.equals(ALIAS);
    }
}
