package kz.ikomek.vision.console.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.auth.LoginThrottle;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.auth.Sessions;
import kz.ikomek.vision.console.auth.User;

/**
 * Login, logout and the session check every other API route passes first.
 *
 * <p>The session lives in a cookie that is HttpOnly (page scripts never see it), SameSite=Strict (the browser does
 * not send it on requests started by another site, the first CSRF defence) and Path=/. It is Secure only when the
 * console is reached over HTTPS ({@code secureCookies}): the default console listens on plain HTTP on 127.0.0.1,
 * where a Secure cookie would not be stored or sent by every browser or HTTP client, and loopback traffic does not
 * cross a network that could be sniffed.
 */
public final class AuthRoutes {

    public static final String COOKIE = "ikomek_session";

    private final Map<String, User> users;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final WorkerExecutor workers;
    private final boolean secureCookies;
    private final MeterRegistry metrics;
    private final Passwords passwords = new Passwords();
    /** Checked for unknown usernames too, so a wrong name takes as long as a wrong password. */
    private final String decoyHash;

    public AuthRoutes(Map<String, User> users, Sessions sessions, LoginThrottle throttle, AuditLog audit,
                      WorkerExecutor workers, boolean secureCookies, MeterRegistry metrics, String decoyHash) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.workers = workers;
        this.secureCookies = secureCookies;
        this.metrics = metrics;
        this.decoyHash = decoyHash;
    }

    /** Mounts login first, then the session check in front of every other /api route. */
    public void mount(Router router) {
        router.post("/api/login").handler(Http.safe(this::login));
        router.route("/api/*").handler(Http.safe(this::requireSession));
        router.post("/api/logout").handler(Http.safe(this::logout));
        router.get("/api/me").handler(Http.safe(ctx -> Http.json(ctx, 200, me(Http.session(ctx)))));
    }

    private void login(RoutingContext ctx) {
        JsonObject body = Http.jsonBody(ctx);
        String username = Http.optionalString(body, "username");
        String password = Http.optionalString(body, "password");
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw ApiException.badRequest("login needs a JSON body {\"username\": …, \"password\": …}");
        }
        if (username.length() > 64 || password.length() > 1024) {
            throw ApiException.badRequest("username or password too long");
        }
        String address = Http.address(ctx);
        Optional<Duration> wait = throttle.blockedFor(username, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds() + 1);
            Http.blocking(ctx, workers, () -> audit.append(username, address, "login", username, "throttled", null),
                    (c, e) -> {
                        count("throttled");
                        c.response().putHeader("Retry-After", Long.toString(seconds));
                        Http.error(c, 429, "too many failed logins; try again in " + seconds + " s");
                    });
            return;
        }
        Http.blocking(ctx, workers, () -> {
            User user = users.get(username);
            boolean ok = passwords.matches(password, user == null ? decoyHash : user.passwordHash()) && user != null;
            if (ok) {
                throttle.succeeded(username);
                audit.append(username, address, "login", username, "ok", user.role().wireName());
                return sessions.open(user);
            }
            throttle.failed(username, address);
            audit.append(username, address, "login", username, user == null ? "unknown_user" : "bad_password", null);
            return null;
        }, (c, session) -> {
            if (session == null) {
                count("failed");
                Http.error(c, 401, "wrong username or password");
                return;
            }
            count("ok");
            c.response().addCookie(cookie(session.token(), sessions.absoluteLifetime().toSeconds()));
            Http.json(c, 200, me(session));
        });
    }

    private void logout(RoutingContext ctx) {
        Session s = Http.session(ctx);
        Http.blocking(ctx, workers, () -> {
            sessions.close(s.token());
            return audit.append(s.user().username(), Http.address(ctx), "logout", s.user().username(), "ok", null);
        }, (c, e) -> {
            c.response().addCookie(cookie("", 0));
            Http.json(c, 200, new JsonObject().put("loggedOut", true));
        });
    }

    private void requireSession(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(COOKIE);
        Optional<Session> s = sessions.find(c == null ? null : c.getValue());
        if (s.isEmpty()) {
            Http.error(ctx, 401, c == null ? "log in first (POST /api/login)" : "session expired or logged out; log in again");
            return;
        }
        ctx.put(Http.SESSION, s.get());
        ctx.next();
    }

    private Cookie cookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(secureCookies).setMaxAge(maxAgeSeconds);
    }

    private static JsonObject me(Session s) {
        User u = s.user();
        return new JsonObject().put("username", u.username()).put("role", u.role().wireName()).put("service", u.service());
    }

    private void count(String outcome) {
        metrics.counter("ikomek.console.logins", "outcome", outcome).increment();
    }
}
