package io.wgmon.api;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code Host} values the API, the page and the metrics answer to (docs/architecture.md#surfaces),
 * against DNS rebinding: a page of {@code rebind.attacker.example} whose name is made to resolve to
 * this machine (or to the far end of an SSH or {@code kubectl port-forward} tunnel) makes the
 * browser send that name. An address in {@code Host} cannot be rebound, so every IP literal passes;
 * names pass only when listed. {@code *} lets every name pass.
 */
public final class AllowedHosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final String ANY = "*";

    private final Set<String> names;

    /** @param names host names, any case, with or without a trailing dot; {@code *} for any */
    public AllowedHosts(Collection<String> names) {
        this.names = names.stream().map(AllowedHosts::canonical).collect(Collectors.toUnmodifiableSet());
    }

    /** The names allowed when {@code wgmon.api.allowed-hosts} is not set. */
    public static AllowedHosts defaults(String hostName) {
        return new AllowedHosts(List.of("localhost", hostName));
    }

    /**
     * Whether a request with this {@code Host} host part (no port; IPv6 with or without brackets) is
     * answered. A request without one (HTTP/1.0) was not sent by a browser, so rebinding is not a concern.
     */
    public boolean allows(String host) {
        if (host == null || host.isEmpty()) {
            return true;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (IPV4.matcher(bare).matches() || IPV6.matcher(bare).matches()) {
            return true;
        }
        return names.contains(ANY) || names.contains(canonical(bare));
    }

    private static String canonical(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }
}
