package io.wgmon.api;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wgmon.config.WgmonConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The one gate of both HTTP servers (docs/architecture.md §12). Everything on the main port (the
 * API, the event stream, whatever else lands there) and everything on the management port but
 * health (metrics, with peer data to come) answers only what {@link ApiAccess} allows. Health stays
 * open so that probes work from the node, with {@code hostNetwork}.
 *
 * <p>The client is the TCP peer as Vert.x reports it: {@code X-Forwarded-For} and {@code Forwarded}
 * count only when Quarkus's own proxy support ({@code quarkus.http.proxy.*}) is switched on.
 */
@ApplicationScoped
public class AccessFilter {
    /** After Quarkus's framework handlers (access log, body), before every route. */
    static final int ORDER = -100;
    private static final String HEALTH = "/q/health";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.%]+");
    private static final String TOKEN_NEEDED = "wgmon: send the API token: Authorization: Bearer <wgmon.api.token>\n";
    private static final String CLOSED = "wgmon: the API, the event stream and the metrics answer loopback only. To open "
            + "them to other hosts, set wgmon.api.token (WGMON_API_TOKEN, 16 or more characters, e.g. `openssl rand "
            + "-base64 24`) and send Authorization: Bearer <token>.\n";

    private final ApiAccess access;

    public AccessFilter(WgmonConfig config) {
        this.access = new ApiAccess(config.api().token());
    }

    void guardMainPort(@Observes Router router) {
        router.route().order(ORDER).handler(this::guard);
    }

    void guardManagementPort(@Observes ManagementInterface management) {
        management.router().route().order(ORDER).handler(context -> {
            if (isHealth(context.normalizedPath())) {
                context.next();
            } else {
                guard(context);
            }
        });
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        switch (access.decide(isLoopback(request.remoteAddress()), authorization(context))) {
            case ALLOW -> context.next();
            case NEEDS_TOKEN -> {
                if (LoginRoutes.wantsPage(context)) {
                    LoginRoutes.redirectToLogin(context);
                } else {
                    needsToken(context);
                }
            }
            case CLOSED -> context.response().setStatusCode(403)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end(CLOSED);
        }
    }

    /** The Authorization header, else the login cookie of the status page as if it were one. */
    static String authorization(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            return header;
        }
        var cookie = context.request().getCookie(LoginRoutes.COOKIE);
        return cookie == null ? null : "Bearer " + cookie.getValue();
    }

    private static void needsToken(RoutingContext context) {
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"wgmon\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(TOKEN_NEEDED);
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
