package kz.ikomek.vision.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.auth.Sessions;
import kz.ikomek.vision.console.auth.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading must not make the server buffer without bound: over a real socket that is never
 * read, events are dropped once the write queue is full, and the client gets one {@code resync} when it reads again.
 */
@Tag("integration")
class EventStreamIT {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An incident with many evidence references: about 8 KB of JSON per event, so the socket fills quickly. */
    private static Incident big(int n) {
        Instant t = Instant.parse("2026-01-15T08:00:00Z");
        List<EvidenceRef> refs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            refs.add(new EvidenceRef(String.format("%064x", i), "frame", "cam-" + i, t));
        }
        return new Incident("inc-" + n, IncidentType.SNOW, IncidentState.PENDING_REVIEW, new GeoPoint(51.13, 71.43),
                "Kabanbay Batyr Ave 1", t, t, List.of("cam-1"), 0.9, refs,
                List.of(new Transition(null, IncidentState.DETECTED, "tracker", t, null)), "snow-removal", null, false);
    }

    @Test
    void a_client_that_stops_reading_loses_events_not_server_memory_and_is_told_to_resync() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Sessions sessions = new Sessions(Clock.systemUTC(), Duration.ofMinutes(30), Duration.ofHours(12));
        Session session = sessions.open(new User("op", Role.OPERATOR, null, "$2a$04$unused"));
        EventStream events = new EventStream(vertx, sessions, metrics, 4);
        Router router = Router.router(vertx);
        router.route("/api/*").handler(ctx -> {
            ctx.put(Http.SESSION, session);
            ctx.next();
        });
        events.mount(router);
        HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setSendBufferSize(8192))
                .requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // a slow consumer: tiny window, and we stop reading below
            socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            readUntil(in, "event: hello");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int published = 0;
            Incident incident = big(0);
            while (metrics.counter("ikomek.console.sse.dropped").count() == 0) {
                assertThat(System.nanoTime()).as("events dropped before the deadline").isLessThan(deadline);
                // Paced like a busy city (1000 changes/s), not a flood: the event loop writes each as it comes.
                events.publish(incident);
                published++;
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertThat(published).isGreaterThan(1);
            // Reading again drains the queue; the stream then says "resync" so the page reloads the list.
            readUntil(in, "event: resync");
        }
        events.close();
    }

    private static void readUntil(InputStream in, String marker) throws Exception {
        byte[] want = marker.getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        for (int b; (b = in.read()) != -1; ) {
            matched = b == want[matched] ? matched + 1 : (b == want[0] ? 1 : 0);
            if (matched == want.length) {
                return;
            }
        }
        throw new AssertionError("stream ended before '" + marker + "'");
    }
}
