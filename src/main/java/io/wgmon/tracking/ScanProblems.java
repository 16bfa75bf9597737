package io.wgmon.tracking;

import io.wgmon.wireguard.Scan;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;

/**
 * Says what a scan could not read, when that changes: interfaces or backends that fail, and named
 * interfaces that no backend lists (a warning once, a line when one appears). Scan thread only.
 */
public final class ScanProblems {
    private static final Logger LOG = Logger.getLogger(ScanProblems.class);

    private final Set<String> namedInterfaces;
    private final List<String> backendNames;
    private List<Scan.ScanFailure> lastFailures = List.of();
    private Set<String> lastMissing = Set.of();

    /** @param namedInterfaces the interfaces {@code wgmon.wireguard.interfaces} names; empty: all are watched */
    public ScanProblems(Set<String> namedInterfaces, List<String> backendNames) {
        this.namedInterfaces = Set.copyOf(namedInterfaces);
        this.backendNames = List.copyOf(backendNames);
    }

    void report(Scan scan) {
        reportFailures(scan.failures());
        reportMissing(scan);
    }

    private void reportFailures(List<Scan.ScanFailure> failures) {
        if (!failures.equals(lastFailures)) {
            failures.forEach(f -> LOG.warnf("Cannot read WireGuard %s: %s",
                    f.interfaceName() == null ? "interfaces" : f.interfaceName(), f.message()));
            if (failures.isEmpty()) {
                LOG.info("WireGuard scans succeed again");
            }
            lastFailures = failures;
        }
    }

    private void reportMissing(Scan scan) {
        if (!scan.listed()) {
            return;
        }
        List<String> missing = scan.missing(namedInterfaces);
        for (String name : missing) {
            if (!lastMissing.contains(name)) {
                LOG.warnf("wgmon.wireguard.interfaces names %s, which no WireGuard backend (%s) lists; it is "
                        + "watched from the moment it appears", name, String.join(", ", backendNames));
            }
        }
        for (String name : lastMissing) {
            if (!missing.contains(name)) {
                LOG.infof("WireGuard interface %s appeared", name);
            }
        }
        lastMissing = Set.copyOf(missing);
    }
}
