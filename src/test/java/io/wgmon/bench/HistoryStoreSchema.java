package io.wgmon.bench;

import io.wgmon.store.StoreDatabase;

import java.nio.file.Path;

/** Creates an empty store with every migration (bench/history.sh fills its session table with sqlite3). */
public final class HistoryStoreSchema {
    private HistoryStoreSchema() {
    }

    public static void main(String[] args) {
        StoreDatabase.open(Path.of(args[0])).close();
    }
}
