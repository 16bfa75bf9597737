package io.wgmon.api;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wgmon.config.WgmonConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one gate of both HTTP servers (docs/architecture.md#surfaces). Everything on the main port (the
 * API, the event stream, the page) and everything on the management port but health (metrics,
 * OpenAPI) answers only requests with an allowed {@code Host} ({@link AllowedHosts}) that
 * {@link ApiAccess} lets in (trusted loopback, the token) or that carry a live login session
 * ({@link LoginSessions}); a source with too many wrong tokens gets 429 ({@link AuthFailures}).
 * Health stays open so that probes work from the node, with its details for loopback only
 * ({@link StatusOnlyHealth}).
 *
 * <p>The client is the socket's peer, {@code request.connection().remoteAddress()}: with Quarkus's
 * proxy support on, {@code request.remoteAddress()} is the first forwarded hop, which the client
 * writes itself (nginx's {@code $proxy_add_x_forwarded_for} appends), so it never decides trust.
 */
@ApplicationScoped
public class AccessFilter {
    /** After Quarkus's framework handlers (access log, body), before every route. */
    static final int ORDER = -100;
    /** Before the login routes ({@link #ORDER} - 1), which must see a listed Host too. */
    static final int HOST_ORDER = ORDER - 2;
    private static final String HEALTH = "/q/health";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.%]+");
    private static final String TOKEN_NEEDED = "wgmon: send the API token: Authorization: Bearer <wgmon.api.token>\n";
    private static final String CLOSED = "wgmon: the API, the event stream and the metrics answer trusted loopback "
            + "only. To open them to other hosts, set wgmon.api.token (WGMON_API_TOKEN, 16 or more characters, e.g. "
            + "`openssl rand -base64 24`) and send Authorization: Bearer <token>.\n";
    private static final String MISDIRECTED = "wgmon: this Host is not one wgmon answers to (DNS rebinding guard); "
            + "use an address, localhost or the host name, or list the name in wgmon.api.allowed-hosts\n";

    private final ApiAccess access;
    private final AllowedHosts hosts;
    private final LoginSessions sessions;
    private final AuthFailures failures;
    private final StatusOnlyHealth statusOnly;

    public AccessFilter(WgmonConfig config, AllowedHosts hosts, LoginSessions sessions, AuthFailures failures,
                        StatusOnlyHealth statusOnly) {
        this.access = ApiAccess.of(config.api());
        this.hosts = hosts;
        this.sessions = sessions;
        this.failures = failures;
        this.statusOnly = statusOnly;
    }

    void guardMainPort(@Observes Router router) {
        router.route().order(HOST_ORDER).handler(context -> {
            if (hostAllowed(context)) {
                context.next();
            }
        });
        router.route().order(ORDER).handler(this::guard);
    }

    void guardManagementPort(@Observes ManagementInterface management) {
        management.router().route().order(ORDER).handler(context -> {
            if (!isHealth(context.normalizedPath())) {
                if (hostAllowed(context)) {
                    guard(context);
                }
            } else if (isLoopback(socketPeer(context.request()))) {
                context.next();
            } else {
                statusOnly.answer(context);
            }
        });
    }

    /** False, with 421 answered, for a Host that is neither an address nor a listed name. */
    private boolean hostAllowed(RoutingContext context) {
        if (hosts.allows(host(context.request()))) {
            return true;
        }
        context.response().setStatusCode(421)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(MISDIRECTED);
        return false;
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        SocketAddress peer = socketPeer(request);
        if (access.trusts(isLoopback(peer)) || sessions.valid(LoginRoutes.sessionCookie(context), localPort(request))) {
            context.next();
            return;
        }
        ApiAccess.Decision decision = access.decide(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (decision == ApiAccess.Decision.CLOSED) {
            context.response().setStatusCode(403)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end(CLOSED);
            return;
        }
        Optional<Duration> wait = failures.blockedFor(peer);
        if (wait.isPresent()) {
            tooMany(context, wait.get(), "wgmon: too many wrong tokens from this address; try again later\n");
            return;
        }
        switch (decision) {
            case ALLOW -> context.next();
            case WRONG_TOKEN -> {
                failures.failed(peer, "token");
                needsToken(context);
            }
            default -> {
                if (LoginRoutes.wantsPage(context)) {
                    LoginRoutes.redirectToLogin(context);
                } else {
                    needsToken(context);
                }
            }
        }
    }

    static void tooMany(RoutingContext context, Duration wait, String body) {
        context.response().setStatusCode(429)
                .putHeader("Retry-After", String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)))
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(body);
    }

    private static void needsToken(RoutingContext context) {
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"wgmon\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(TOKEN_NEEDED);
    }

    /** The TCP (or Unix socket) peer of the connection, whatever forwarding headers say. */
    static SocketAddress socketPeer(HttpServerRequest request) {
        return request.connection() == null ? null : request.connection().remoteAddress();
    }

    /** The server port the connection came in on: sessions are bound to it. */
    static int localPort(HttpServerRequest request) {
        SocketAddress local = request.connection() == null ? null : request.connection().localAddress();
        return local == null ? -1 : local.port();
    }

    private static String host(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        return authority == null ? request.getHeader(HttpHeaders.HOST) : authority.host();
    }

    static boolean isHealth(String normalizedPath) {
        return normalizedPath.equals(HEALTH) || normalizedPath.startsWith(HEALTH + "/");
    }

    /** Loopback (127/8, ::1, ::ffff:127.x), or a Unix socket, which file permissions guard. */
    static boolean isLoopback(SocketAddress remote) {
        if (remote == null) {
            return false;
        }
        if (remote.isDomainSocket()) {
            return true;
        }
        String host = remote.hostAddress();
        if (host == null || !IP_LITERAL.matcher(host).matches()) {
            return false; // only literals: never a name lookup
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
