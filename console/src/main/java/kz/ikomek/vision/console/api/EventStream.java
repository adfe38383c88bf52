package kz.ikomek.vision.console.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.console.auth.Access;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.auth.Sessions;

/**
 * {@code GET /api/events}: server-sent events, one {@code incident} event per change the user may see.
 *
 * <p>A slow client never makes the server buffer without bound: when its write queue is full, further events for
 * it are dropped and, once it drains, it gets one {@code resync} event telling the page to reload the list.
 * A comment line every 15 s keeps proxies from closing an idle stream and notices a logged-out session.
 * One session may hold at most {@code maxPerSession} streams (a browser tab each); more get 429.
 */
public final class EventStream {

    static final long HEARTBEAT_MS = 15_000;

    private final Vertx vertx;
    private final Sessions sessions;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong eventIds = new AtomicLong();
    private final Counter dropped;
    private final int maxPerSession;
    private long heartbeat = -1;

    private static final class Client {
        final HttpServerResponse response;
        final Session session;
        final Context context;
        boolean lagging;

        Client(HttpServerResponse response, Session session, Context context) {
            this.response = response;
            this.session = session;
            this.context = context;
        }
    }

    public EventStream(Vertx vertx, Sessions sessions, MeterRegistry metrics, int maxPerSession) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.maxPerSession = maxPerSession;
        this.dropped = metrics.counter("ikomek.console.sse.dropped");
        metrics.gaugeCollectionSize("ikomek.console.sse.clients", java.util.List.of(), clients);
    }

    public void mount(Router router) {
        router.get("/api/events").handler(Http.safe(this::open));
        heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> clients.forEach(c -> c.context.runOnContext(v -> ping(c))));
    }

    private void open(RoutingContext ctx) {
        Session session = Http.session(ctx);
        long open = clients.stream().filter(c -> c.session == session && !c.response.closed()).count();
        if (open >= maxPerSession) {
            throw new ApiException(429, "this session already has " + open + " event streams open (at most "
                    + maxPerSession + "); close a tab");
        }
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        Client c = new Client(r, session, vertx.getOrCreateContext());
        clients.add(c);
        r.closeHandler(v -> clients.remove(c));
        r.exceptionHandler(e -> clients.remove(c));
        // retry: how long the browser waits before reconnecting; the first event tells the page it is live.
        r.write("retry: 3000\n\nevent: hello\ndata: {}\n\n");
    }

    /** Fans one incident change out to every client allowed to see it; callable from any thread. */
    public void publish(Incident incident) {
        long id = eventIds.incrementAndGet();
        for (Client c : clients) {
            c.context.runOnContext(v -> send(c, incident, id));
        }
    }

    private void send(Client c, Incident incident, long id) {
        if (!live(c) || !Access.canSee(c.session.user(), incident)) {
            return;
        }
        if (c.lagging) {
            dropped.increment();
            return;
        }
        if (c.response.writeQueueFull()) {
            c.lagging = true;
            dropped.increment();
            c.response.drainHandler(v -> {
                c.lagging = false;
                c.response.drainHandler(null);
                c.response.write("event: resync\ndata: {}\n\n");
            });
            return;
        }
        String json = IncidentJson.of(incident, c.session.user()).encode();
        c.response.write("event: incident\nid: " + id + "\ndata: " + json + "\n\n");
    }

    private void ping(Client c) {
        if (live(c) && !c.response.writeQueueFull()) {
            c.response.write(": ping\n\n");
        }
    }

    /** Ends streams whose session was logged out or timed out. */
    private boolean live(Client c) {
        if (c.response.closed() || c.response.ended()) {
            clients.remove(c);
            return false;
        }
        if (!sessions.alive(c.session)) {
            clients.remove(c);
            c.response.end("event: logout\ndata: {}\n\n");
            return false;
        }
        return true;
    }

    public void close() {
        if (heartbeat >= 0) {
            vertx.cancelTimer(heartbeat);
        }
        for (Client c : clients) {
            c.context.runOnContext(v -> {
                if (!c.response.closed() && !c.response.ended()) {
                    c.response.end();
                }
            });
        }
        clients.clear();
    }
}
