package io.wgmon.api;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wgmon.config.WgmonConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * How a browser logs in (docs/architecture.md#surfaces): {@code GET /login} is a form, and {@code POST /login}
 * with the right token starts a {@link LoginSessions} session whose random value (never the token)
 * comes back as an HttpOnly, SameSite=Strict cookie; over TLS it is {@code Secure} and named
 * {@code __Host-...}, which a browser takes only from a secure origin, without Domain, for Path=/.
 * The name carries the server port, since browsers send a host's cookies to all its ports. Both routes
 * run after the Host check and before the gate; a wrong token answers 401 with the form again and
 * counts against the source ({@link AuthFailures}). {@code POST /logout} ends the session.
 */
@ApplicationScoped
public class LoginRoutes {
    static final String COOKIE = "wgmon-session-";
    static final String SECURE_PREFIX = "__Host-";
    private static final String PAGE = "/login";
    private static final int MAX_FORM = 4096;

    private final ApiAccess access;
    private final LoginSessions sessions;
    private final AuthFailures failures;
    private final String form;

    public LoginRoutes(WgmonConfig config, LoginSessions sessions, AuthFailures failures) {
        this.access = ApiAccess.of(config.api());
        this.sessions = sessions;
        this.failures = failures;
        this.form = resource("wgmon/login.html");
    }

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, PAGE).order(AccessFilter.ORDER - 1).handler(context -> page(context, 200, ""));
        router.route(HttpMethod.POST, PAGE).order(AccessFilter.ORDER - 1)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_FORM)).handler(this::login);
        router.route(HttpMethod.POST, "/logout").order(AccessFilter.ORDER - 1).handler(context -> {
            sessions.end(sessionCookie(context));
            context.response().addCookie(cookie(context.request(), "").setMaxAge(0));
            redirect(context, PAGE);
        });
    }

    private void login(RoutingContext context) {
        SocketAddress peer = AccessFilter.socketPeer(context.request());
        Optional<Duration> wait = failures.blockedFor(peer);
        if (wait.isPresent()) {
            AccessFilter.tooMany(context, wait.get(), "wgmon: too many wrong tokens from this address; try again later\n");
            return;
        }
        String token = context.request().getFormAttribute("token");
        if (token == null || !access.matches(token.strip())) {
            failures.failed(peer, "login");
            page(context, 401, "<p class=\"error\">That is not the token.</p>");
            return;
        }
        String session = sessions.create(AccessFilter.localPort(context.request()));
        context.response().addCookie(cookie(context.request(), session).setMaxAge(sessions.lifetime().toSeconds()));
        redirect(context, "/");
    }

    /** This server port's session cookie name, {@code __Host-} prefixed over TLS. */
    static String cookieName(HttpServerRequest request) {
        return (request.isSSL() ? SECURE_PREFIX : "") + COOKIE + AccessFilter.localPort(request);
    }

    /** The value of this port's session cookie, or null. */
    static String sessionCookie(RoutingContext context) {
        Cookie cookie = context.request().getCookie(cookieName(context.request()));
        return cookie == null ? null : cookie.getValue();
    }

    private static Cookie cookie(HttpServerRequest request, String value) {
        return Cookie.cookie(cookieName(request), value).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(request.isSSL());
    }

    private void page(RoutingContext context, int status, String message) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(form.replace("<!--message-->", message));
    }

    /** A browser asking for the status page: it gets the login form rather than a 401. */
    static boolean wantsPage(RoutingContext context) {
        String path = context.normalizedPath();
        return context.request().method() == HttpMethod.GET && (path.equals("/") || path.equals("/index.html"));
    }

    static void redirectToLogin(RoutingContext context) {
        redirect(context, PAGE);
    }

    private static void redirect(RoutingContext context, String location) {
        context.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, location).end();
    }

    private static String resource(String name) {
        try (InputStream in = LoginRoutes.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
