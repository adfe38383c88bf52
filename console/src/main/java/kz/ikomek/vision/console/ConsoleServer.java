package kz.ikomek.vision.console;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
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
import kz.ikomek.vision.console.api.EventStream;
import kz.ikomek.vision.console.api.Http;
import kz.ikomek.vision.console.api.IncidentRoutes;
import kz.ikomek.vision.console.api.SiteRoutes;
import kz.ikomek.vision.console.api.WebSecurity;
import kz.ikomek.vision.console.audit.AuditLog;
import kz.ikomek.vision.console.auth.LoginThrottle;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Sessions;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.metrics.ConsoleMetrics;
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
    private final WorkerExecutor workers;
    private final AuditLog audit;
    private final EventStream events;
    private final AutoCloseable subscription;
    private final long sweeper;

    private ConsoleServer(Vertx vertx, HttpServer server, WorkerExecutor workers, AuditLog audit, EventStream events,
                          AutoCloseable subscription, long sweeper) {
        this.vertx = vertx;
        this.server = server;
        this.workers = workers;
        this.audit = audit;
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
        AuditLog audit = AuditLog.open(options.auditDir(), clock);
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("ikomek-console", 8);
        Sessions sessions = new Sessions(clock, options.sessionIdle(), options.sessionMax());
        LoginThrottle throttle = new LoginThrottle(clock, Duration.ofMinutes(15), 5, 20);
        String decoy = new Passwords(decoyCost(options.users())).hash("not-a-password-" + System.nanoTime());
        WebSecurity security = new WebSecurity(options.extraOrigins(), options.secureCookies());
        ConsoleMetrics metrics = new ConsoleMetrics(registry, incidents, cameras);
        EventStream events = new EventStream(vertx, sessions, registry);

        Router router = Router.router(vertx);
        router.route().handler(security::headers);
        router.get("/healthz").handler(ctx -> Http.json(ctx, 200, new JsonObject().put("status", "ok")));
        // Metrics need no session: Prometheus scrapes without one, and they hold only counts, never ids or URLs.
        router.get("/metrics").handler(ctx -> workers.executeBlocking(() -> {
            metrics.refresh();
            return registry.scrape();
        }, false).onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text)).onFailure(ctx::fail));
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route("/api/*").handler(Http.safe(security::csrf));
        new AuthRoutes(users, sessions, throttle, audit, workers, options.secureCookies(), registry, decoy).mount(router);
        new IncidentRoutes(incidents, audit, workers).mount(router);
        new CameraRoutes(cameras, workerOf, workers).mount(router);
        new AuditRoutes(audit, workers).mount(router);
        new SiteRoutes(sites).mount(router);
        events.mount(router);
        router.route("/api/*").handler(ctx -> Http.error(ctx, 404, "no endpoint " + ctx.request().method()
                + " " + ctx.request().path()));
        router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html")
                .setCachingEnabled(true).setMaxAgeSeconds(60).setDefaultContentEncoding("UTF-8"));
        router.route().failureHandler(ConsoleServer::failure);

        HttpServer server;
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port()))
                    .requestHandler(router).listen().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            workers.close();
            audit.close();
            throw new BadInputException("console: cannot listen on " + options.host() + ":" + options.port()
                    + ": " + e.getCause().getMessage() + " (is another process using the port? set console.port)", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            workers.close();
            audit.close();
            throw new IllegalStateException("console: listening on " + options.host() + ":" + options.port()
                    + " did not complete", e);
        }
        AutoCloseable subscription = incidents.subscribe(events::publish);
        long sweeper = vertx.setPeriodic(60_000, t -> {
            sessions.sweep();
            throttle.sweep();
        });
        log.info("console listening on http://{}:{}/ with {} users, audit log {}", options.host(),
                server.actualPort(), users.size(), audit.file());
        return new ConsoleServer(vertx, server, workers, audit, events, subscription, sweeper);
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
        workers.close();
        audit.close();
    }
}
