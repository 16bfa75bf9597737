package io.wgmon.api;

import io.vertx.core.net.SocketAddress;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Wrong tokens and logins per source (docs/architecture.md#surfaces): after {@link #LIMIT} in a
 * {@link #WINDOW} the source gets 429 until its window is over, the right token included. One log
 * line per source and window, at its first failure, with the count of its window before; never the
 * token. IPv6 sources count per /64, since one host has a whole /64 to send from. The table holds at
 * most {@link #MAX_SOURCES}; when it is full of live windows, new sources share one.
 */
public final class AuthFailures {
    static final int LIMIT = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_SOURCES = 1024;
    static final String OVERFLOW = "further addresses";
    private static final Logger LOG = Logger.getLogger(AuthFailures.class);

    private static final class Window {
        Instant start;
        int count;
        int previous;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Timers timers;
    private final Map<String, Window> windows = new HashMap<>();

    public AuthFailures(Timers timers) {
        this.timers = timers;
    }

    /** How long the source must wait, when it has used up its tries. */
    public synchronized Optional<Duration> blockedFor(SocketAddress peer) {
        Window window = windows.get(source(peer));
        if (window == null) {
            window = windows.get(OVERFLOW);
            if (window == null || windows.size() < MAX_SOURCES) {
                return Optional.empty();
            }
        }
        Duration left = Duration.between(timers.now(), window.start.plus(WINDOW));
        return window.count >= LIMIT && !left.isNegative() && !left.isZero() ? Optional.of(left) : Optional.empty();
    }

    /** Counts one wrong credential from {@code peer}; {@code what} says which ("token", "login"). */
    public synchronized void failed(SocketAddress peer, String what) {
        Instant now = timers.now();
        String source = source(peer);
        Window window = windows.get(source);
        if (window == null) {
            if (windows.size() >= MAX_SOURCES) {
                windows.values().removeIf(old -> !now.isBefore(old.start.plus(WINDOW)));
            }
            if (windows.size() >= MAX_SOURCES) {
                source = OVERFLOW;
            }
            window = windows.computeIfAbsent(source, key -> new Window(now));
        }
        if (!now.isBefore(window.start.plus(WINDOW))) {
            window.previous = window.count;
            window.start = now;
            window.count = 0;
        }
        window.count++;
        if (window.count == 1) {
            LOG.warnf("Wrong API %s from %s (%d in its window before); more within %ds are counted, not logged, "
                    + "and after %d it gets 429 for the rest of the %ds", what, source, window.previous,
                    WINDOW.toSeconds(), LIMIT, WINDOW.toSeconds());
        }
    }

    /** The address a window belongs to: an IPv4 address, an IPv6 /64, or the Unix socket. */
    static String source(SocketAddress peer) {
        if (peer == null) {
            return "unknown";
        }
        if (peer.isDomainSocket()) {
            return "unix socket";
        }
        String host = peer.hostAddress();
        if (host == null) {
            return "unknown";
        }
        try {
            InetAddress address = InetAddress.getByName(host); // a literal from the socket: no lookup
            if (address instanceof Inet6Address) {
                byte[] bytes = address.getAddress();
                return String.format("%x:%x:%x:%x::/64", word(bytes, 0), word(bytes, 2), word(bytes, 4), word(bytes, 6));
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return String.valueOf(host);
        }
    }

    private static int word(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
