package kz.ikomek.vision.console.api;

import io.micrometer.core.instrument.MeterRegistry;
import kz.ikomek.vision.console.pool.WorkerPool;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.audit.RefusalDigest;
import kz.ikomek.vision.console.auth.Access;
import kz.ikomek.vision.console.auth.LoginThrottle;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.auth.Sessions;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.auth.Usernames;

/**
 * Login, logout and the session check every other API route passes first.
 *
 * <p>The session lives in a cookie that is HttpOnly (page scripts never see it), SameSite=Strict (the browser does
 * not send it on requests started by another site, the first CSRF defence) and Path=/. It is Secure only when the
 * console is reached over HTTPS ({@code secureCookies}): the default console listens on plain HTTP on 127.0.0.1,
 * where a Secure cookie would not be stored or sent by every browser or HTTP client, and loopback traffic does not
 * cross a network that could be sniffed.
 *
 * <p>Logins run on a pool of their own ({@code logins}, bounded): bcrypt is slow on purpose, and a flood of
 * anonymous logins must queue behind itself, never in front of signed-in operators' requests. Each attempt is
 * reserved with the {@link LoginThrottle} before the password is checked, so a burst cannot race it.
 */
public final class AuthRoutes {

    public static final String COOKIE = "ikomek_session";

    private final Map<String, User> users;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final RefusalDigest refusals;
    private final WorkerPool workers;
    private final WorkerPool logins;
    private final boolean secureCookies;
    private final MeterRegistry metrics;
    private final Passwords passwords = new Passwords();
    /** Checked for unknown usernames too, so a wrong name takes as long as a wrong password. */
    private final String decoyHash;

    /** The pools: {@code workers} for signed-in requests, {@code logins} for password checks. */
    public record Pools(WorkerPool workers, WorkerPool logins) {
    }

    public AuthRoutes(Map<String, User> users, Sessions sessions, LoginThrottle throttle, AuditLog audit,
                      RefusalDigest refusals, Pools pools, boolean secureCookies, MeterRegistry metrics, String decoyHash) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.refusals = refusals;
        this.workers = pools.workers();
        this.logins = pools.logins();
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
        router.post("/api/logins/unblock").handler(Http.safe(this::unblock));
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
        User user = users.get(username);
        // A name no account has is shown escaped and as nobody's: "аdmin" (Cyrillic а) must not pass for admin.
        String actor = user == null ? Usernames.UNKNOWN : username;
        String tried = user == null ? Usernames.escaped(username) : username;
        LoginThrottle.Reservation reservation = throttle.reserve(username, address);
        if (reservation instanceof LoginThrottle.Blocked blocked) {
            long seconds = LoginThrottle.retryAfterSeconds(blocked.retryAfter());
            refusals.refused(actor, address, "login", tried, "throttled", null);
            count("throttled");
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            Http.error(ctx, 429, "too many failed logins; try again in " + seconds + " s");
            return;
        }
        LoginThrottle.Permit permit = (LoginThrottle.Permit) reservation;
        logins.run(() -> {
            boolean ok = passwords.matches(password, user == null ? decoyHash : user.passwordHash()) && user != null;
            if (ok) {
                permit.succeeded();
                audit.append(username, address, "login", username, "ok", user.role().wireName());
                return sessions.open(user);
            }
            permit.failed();
            if (user == null) {
                refusals.refused(actor, address, "login", tried, "unknown_user", null);
            } else {
                audit.append(username, address, "login", username, "bad_password", null);
            }
            return null;
        }).onComplete(result -> {
            if (result.failed()) {
                if (result.cause() instanceof WorkerPool.PoolFullException busy) {
                    permit.cancel();
                    refusals.refused(actor, address, "login", tried, "busy", null);
                    count("busy");
                    ctx.response().putHeader("Retry-After", "5");
                    Http.error(ctx, 503, "too many logins at once; try again in a few seconds");
                } else {
                    ctx.fail(result.cause());
                }
                return;
            }
            Session session = result.result();
            if (session == null) {
                count("failed");
                Http.error(ctx, 401, "wrong username or password");
                return;
            }
            count("ok");
            ctx.response().addCookie(cookie(session.token(), sessions.absoluteLifetime().toSeconds()));
            Http.json(ctx, 200, me(session));
        });
    }

    /** {@code POST /api/logins/unblock {"username"}}: an admin lets a throttled name try again at once. */
    private void unblock(RoutingContext ctx) {
        Session s = Http.session(ctx);
        if (!Access.canUnblockLogins(s.user())) {
            throw ApiException.forbidden("unblocking logins is for admins");
        }
        String username = Http.optionalString(Http.jsonBody(ctx), "username");
        if (username == null || username.isBlank()) {
            throw ApiException.badRequest("unblock needs a JSON body {\"username\": …}");
        }
        String address = Http.address(ctx);
        String target = Usernames.escaped(username);
        Http.blocking(ctx, workers, () -> {
            boolean cleared = throttle.clear(username);
            audit.append(s.user().username(), address, "unblock", target, "ok", cleared ? "cleared" : "nothing to clear");
            return cleared;
        }, (c, cleared) -> Http.json(c, 200, new JsonObject().put("username", username).put("cleared", cleared)));
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
