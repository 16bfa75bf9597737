package io.wgmon.handshake;

import io.wgmon.capture.InitiationBytes;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Classes an initiation by its mac1 against the public keys of the interfaces the last scan read
 * (docs/architecture.md#failed-handshakes). The checkers are rebuilt only when those keys change. On the packet
 * reader thread only.
 */
public final class InitiationClassifier {
    private final Supplier<Scan> lastScan;
    private Scan checkedScan;
    private List<String> keys = List.of();
    private List<Mac1> checkers = List.of();

    public InitiationClassifier(Supplier<Scan> lastScan) {
        this.lastScan = lastScan;
    }

    /** @param initiation null when the packet was not a whole initiation: no WireGuard peer sends those */
    public Mac1Class classify(InitiationBytes initiation) {
        if (initiation == null) {
            return Mac1Class.INVALID;
        }
        refreshKeys();
        if (checkers.isEmpty()) {
            return Mac1Class.UNCHECKED;
        }
        for (Mac1 checker : checkers) {
            if (checker.valid(initiation.bytes(), 0)) {
                return Mac1Class.VALID;
            }
        }
        return Mac1Class.INVALID;
    }

    private void refreshKeys() {
        Scan scan = lastScan.get();
        if (scan == null || scan == checkedScan) {
            return;
        }
        checkedScan = scan;
        List<String> now = scan.devices().stream().map(Device::publicKey).filter(Objects::nonNull).distinct().toList();
        if (now.equals(keys)) {
            return;
        }
        List<Mac1> built = new ArrayList<>();
        for (String key : now) {
            built.add(new Mac1(key));
        }
        keys = now;
        checkers = List.copyOf(built);
    }
}
