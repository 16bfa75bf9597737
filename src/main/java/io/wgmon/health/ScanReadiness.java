package io.wgmon.health;

import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.Scan.ScanFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one scan says about readiness (docs/architecture.md#surfaces): ready when every backend could list
 * its interfaces and every interface named in {@code wgmon.wireguard.interfaces} that exists answered.
 * Without named interfaces, an interface that cannot be read (say a stray broken UAPI socket) is a
 * warning, not a reason to take wgmon out of service. A named interface that does not exist is shown,
 * and wgmon stays ready: it is watched from the moment it appears.
 *
 * @param problems what keeps wgmon from being ready
 * @param warnings interfaces that could not be read but are not named
 * @param missing  named interfaces that no backend lists
 */
public record ScanReadiness(boolean ready, List<String> problems, List<String> warnings, List<String> missing) {

    public static ScanReadiness of(Scan scan, Set<String> named) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (ScanFailure failure : scan.failures()) {
            if (failure.interfaceName() == null) {
                problems.add(failure.message());
                continue;
            }
            String text = failure.interfaceName() + ": " + failure.message();
            (named.contains(failure.interfaceName()) ? problems : warnings).add(text);
        }
        return new ScanReadiness(problems.isEmpty(), List.copyOf(problems), List.copyOf(warnings), scan.missing(named));
    }
}
