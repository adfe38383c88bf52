package kz.ikomek.vision.console;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import kz.ikomek.vision.bridge.Incidents;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.console.api.ApiException;
import kz.ikomek.vision.console.api.AuditRoutes;
import kz.ikomek.vision.console.api.AuthRoutes;
import kz.ikomek.vision.console.api.CameraRoutes;
import kz.ikomek.vision.console.api.ConnectionTimeouts;
import kz.ikomek.vision.console.api.EventStream;
import kz.ikomek.vision.console.api.Http;
import kz.ikomek.vision.console.api.IncidentRoutes;
import kz.ikomek.vision.console.api.ReadRefusals;
import kz.ikomek.vision.console.api.SiteRoutes;
import kz.ikomek.vision.console.api.WebSecurity;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.audit.RefusalDigest;
import kz.ikomek.vision.console.auth.LoginThrottle;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Sessions;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.metrics.ConsoleMetrics;
import kz.ikomek.vision.console.pool.PoolLoad;
import kz.ikomek.vision.console.pool.ServingHealth;
import kz.ikomek.vision.console.pool.WorkerPool;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.ingest.health.CameraHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: the HTTP API of DESIGN.md, server-sent incident events, the static pages, {@code /healthz}
 * and Prometheus {@code /metrics}. Start it with {@link #start}, stop it with {@link #close}.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    private static final int BODY_LIMIT = 64 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final AuthRoutes.Pools pools;
    private final AuditLog audit;
    private final RefusalDigest refusals;
    private final EventStream events;
    private final AutoCloseable subscription;
    private final long sweeper;

    private ConsoleServer(Vertx vertx, HttpServer server, AuthRoutes.Pools pools, AuditLog audit,
                          RefusalDigest refusals, EventStream events, AutoCloseable subscription, long sweeper) {
        this.vertx = vertx;
        this.server = server;
        this.pools = pools;
        this.audit = audit;
        this.refusals = refusals;
        this.events = events;
        this.subscription = subscription;
        this.sweeper = sweeper;
    }

    /**
     * Opens the audit log, binds {@code options.host():options.port()} and subscribes to incident changes; returns
     * once the console answers.
     *
     * @param cameras  the current health of every camera (called per request; should be cheap)
     * @param registry the registry {@code /metrics} scrapes; register the pipeline's own meters on it too
     * @throws BadInputException when the port cannot be bound or the users are inconsistent
     */
    public static ConsoleServer start(Vertx vertx, ConsoleOptions options, Incidents incidents,
                                      Supplier<List<CameraHealth>> cameras, PrometheusMeterRegistry registry) {
        return start(vertx, options, incidents, cameras, registry, List.of());
    }

    /** As above, with each camera's position and zones for the map and the zone overlay on evidence frames. */
    public static ConsoleServer start(Vertx vertx, ConsoleOptions options, Incidents incidents,
                                      Supplier<List<CameraHealth>> cameras, PrometheusMeterRegistry registry,
                                      List<CameraSite> sites) {
        return start(vertx, options, incidents, cameras, registry, sites, cameraId -> null);
    }

    /**
     * As above, for a worker of a cluster: {@code workerOf} names the worker that runs a camera ({@code worker} in
     * {@code /api/cameras}); null = standalone, no such field.
     */
    public static ConsoleServer start(Vertx vertx, ConsoleOptions options, Incidents incidents,
                                      Supplier<List<CameraHealth>> cameras, PrometheusMeterRegistry registry,
                                      List<CameraSite> sites, Function<String, String> workerOf) {
        Map<String, User> users = new HashMap<>();
        for (User u : options.users()) {
            if (users.put(u.username(), u) != null) {
                throw new BadInputException("console users: '" + u.username() + "' is defined twice");
            }
        }
        if (users.isEmpty()) {
            log.warn("the console has no users: nobody can log in (add one with `ikomek-vision user add`)");
        }
        Clock clock = Clock.systemUTC();
        ConsoleLimits limits = options.limits();
        AuditLog audit = AuditLog.open(options.auditDir(), clock);
        RefusalDigest refusals = new RefusalDigest(audit, clock, limits.refusalWindow());
        // Two pools: anonymous password checks (bcrypt, slow on purpose) never queue ahead of signed-in requests.
        AuthRoutes.Pools pools = new AuthRoutes.Pools(
                new WorkerPool(vertx, "ikomek-console", limits.workerThreads(), 0),
                new WorkerPool(vertx, "ikomek-console-login", limits.loginThreads(), limits.loginQueue()));
        Sessions sessions = new Sessions(clock, options.sessionIdle(), options.sessionMax());
        LoginThrottle throttle = new LoginThrottle(clock, Duration.ofMinutes(15), limits.logins(), options.sessionMax());
        String decoy = new Passwords(decoyCost(options.users())).hash("not-a-password-" + System.nanoTime());
        WebSecurity security = WebSecurity.of(options.host(), options.allowedHosts(), options.extraOrigins(),
                options.secureCookies());
        ConsoleMetrics metrics = new ConsoleMetrics(registry, incidents, cameras);
        EventStream events = new EventStream(vertx, sessions, registry, limits.streamsPerSession());

        Router router = Router.router(vertx);
        router.route().handler(security::headers);
        router.route().handler(Http.safe(security::host));
        router.get("/healthz").handler(ctx -> health(ctx, pools));
        // Metrics need no session: Prometheus scrapes without one, and they hold only counts, never ids or URLs.
        router.get("/metrics").handler(ctx -> pools.workers().run(() -> {
            metrics.refresh();
            return registry.scrape();
        }).onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text)).onFailure(ctx::fail));
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route("/api/*").handler(Http.safe(security::csrf));
        new AuthRoutes(users, sessions, throttle, audit, refusals, pools, options.secureCookies(), registry, decoy)
                .mount(router);
        new ReadRefusals(refusals).mount(router);
        new IncidentRoutes(incidents, audit, pools.workers()).mount(router);
        new CameraRoutes(cameras, workerOf, pools.workers()).mount(router);
        new AuditRoutes(audit, pools.workers()).mount(router);
        new SiteRoutes(sites).mount(router);
        events.mount(router);
        router.route("/api/*").handler(ctx -> Http.error(ctx, 404, "no endpoint " + ctx.request().method()
                + " " + ctx.request().path()));
        router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html")
                .setCachingEnabled(true).setMaxAgeSeconds(60).setDefaultContentEncoding("UTF-8"));
        router.route().failureHandler(ConsoleServer::failure);

        ConnectionTimeouts timeouts = new ConnectionTimeouts(vertx, limits.headerTimeout());
        HttpServer server;
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port())
                            .setIdleTimeout((int) limits.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                            .setHttp2ClearTextEnabled(false))
                    .connectionHandler(timeouts::opened)
                    .requestHandler(timeouts.around(router)).listen().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            closeAll(pools, refusals, audit);
            throw new BadInputException("console: cannot listen on " + options.host() + ":" + options.port()
                    + ": " + e.getCause().getMessage() + " (is another process using the port? set console.port)", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            closeAll(pools, refusals, audit);
            throw new IllegalStateException("console: listening on " + options.host() + ":" + options.port()
                    + " did not complete", e);
        }
        AutoCloseable subscription = incidents.subscribe(events::publish);
        long sweeper = vertx.setPeriodic(10_000, t -> {
            sessions.sweep();
            throttle.sweep();
            refusals.flushExpired();
        });
        log.info("console listening on http://{}:{}/ with {} users, audit log {}", options.host(),
                server.actualPort(), users.size(), audit.file());
        return new ConsoleServer(vertx, server, pools, audit, refusals, events, subscription, sweeper);
    }

    /**
     * {@code /healthz}, answered on the event loop so it answers even when the pools are busy: 200 while signed-in
     * requests get a worker in time, 503 when they wait too long (the console is up but not serving). A full login
     * queue is reported but is not unhealthy: signed-in operators are still served.
     */
    private static void health(RoutingContext ctx, AuthRoutes.Pools pools) {
        PoolLoad requests = pools.workers().load();
        PoolLoad logins = pools.logins().load();
        String problem = ServingHealth.DEFAULT.problem(requests);
        JsonObject body = new JsonObject().put("status", problem == null ? "ok" : "overloaded")
                .put("requests", requests.toJson()).put("logins", logins.toJson());
        if (problem != null) {
            body.put("problem", problem);
        }
        Http.json(ctx, problem == null ? 200 : 503, body);
    }

    private static void closeAll(AuthRoutes.Pools pools, RefusalDigest refusals, AuditLog audit) {
        pools.workers().close();
        pools.logins().close();
        refusals.close();
        audit.close();
    }

    private static int decoyCost(List<User> users) {
        for (User u : users) {
            String h = u.passwordHash();
            // $2a$12$…: the cost is the two digits after the second '$'.
            if (h.length() > 6 && h.charAt(3) == '$') {
                try {
                    return Integer.parseInt(h.substring(4, 6));
                } catch (NumberFormatException ignored) {
                    // fall through to the default
                }
            }
        }
        return Passwords.DEFAULT_COST;
    }

    private static void failure(RoutingContext ctx) {
        Throwable f = ctx.failure();
        if (f instanceof ApiException a) {
            Http.error(ctx, a.status(), a.getMessage());
        } else if (f == null && ctx.statusCode() == 413) {
            Http.error(ctx, 413, "request body too large (at most " + BODY_LIMIT / 1024 + " KiB)");
        } else if (f == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Http.error(ctx, ctx.statusCode(), HttpResponseStatus.valueOf(ctx.statusCode()).reasonPhrase()
                    + ": " + ctx.request().method() + " " + ctx.request().path());
        } else {
            log.error("console request {} {} failed", ctx.request().method(), ctx.request().path(), f);
            Http.error(ctx, 500, "internal error; the server log has the details");
        }
    }

    public int port() {
        return server.actualPort();
    }

    public AuditLog audit() {
        return audit;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("unsubscribing the console from incidents", e);
        }
        vertx.cancelTimer(sweeper);
        events.close();
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("closing the console's HTTP server", e);
        }
        closeAll(pools, refusals, audit);
    }
}
