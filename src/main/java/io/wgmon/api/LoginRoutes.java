package io.wgmon.api;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
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

/**
 * How a browser presents the token (docs/architecture.md §12): {@code GET /login} is a form, and
 * {@code POST /login} with the right token sets it as an HttpOnly, SameSite=Strict cookie, which
 * {@link AccessFilter} takes as if it were the Authorization header. Both run before the gate; a
 * wrong token answers 401 with the form again. {@code POST /logout} clears the cookie.
 */
@ApplicationScoped
public class LoginRoutes {
    static final String COOKIE = "wgmon_token";
    private static final String PAGE = "/login";
    private static final int MAX_FORM = 4096;

    private final ApiAccess access;
    private final String form;

    public LoginRoutes(WgmonConfig config) {
        this.access = new ApiAccess(config.api().token());
        this.form = resource("wgmon/login.html");
    }

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, PAGE).order(AccessFilter.ORDER - 1).handler(context -> page(context, 200, ""));
        router.route(HttpMethod.POST, PAGE).order(AccessFilter.ORDER - 1)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_FORM)).handler(this::login);
        router.route(HttpMethod.POST, "/logout").order(AccessFilter.ORDER - 1).handler(context -> {
            context.response().addCookie(cookie(context, "").setMaxAge(0));
            redirect(context, PAGE);
        });
    }

    private void login(RoutingContext context) {
        String token = context.request().getFormAttribute("token");
        if (token == null || access.decide(false, "Bearer " + token.strip()) != ApiAccess.Decision.ALLOW) {
            page(context, 401, "<p class=\"error\">That is not the token.</p>");
            return;
        }
        context.response().addCookie(cookie(context, token.strip()));
        redirect(context, "/");
    }

    private static Cookie cookie(RoutingContext context, String value) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(context.request().isSSL());
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
