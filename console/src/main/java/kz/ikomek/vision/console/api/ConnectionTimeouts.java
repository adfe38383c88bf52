package kz.ikomek.vision.console.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections that do not send a request head in time: right after they open, and between requests on a
 * kept-alive connection. Vert.x's idle timeout alone does not catch a client that trickles one header byte every few
 * seconds (each byte is activity), which is how 500 slow connections used to stay open until the file limit.
 * HTTP/1.1 only: the console serves plain HTTP, where browsers never speak HTTP/2, and h2c is switched off (it
 * would also hold the connection back from this guard until a first complete request head arrived).
 */
public final class ConnectionTimeouts {

    private final Vertx vertx;
    private final long headerMillis;
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

    public ConnectionTimeouts(Vertx vertx, Duration headerTimeout) {
        this.vertx = vertx;
        this.headerMillis = Math.max(1, headerTimeout.toMillis());
    }

    /** For {@code HttpServer.connectionHandler}: the head of the first request is due within the timeout. */
    public void opened(HttpConnection connection) {
        arm(connection);
        connection.closeHandler(v -> disarm(connection));
    }

    /** Wraps the request handler: a complete head stops the clock, the end of the answer restarts it. */
    public Handler<HttpServerRequest> around(Handler<HttpServerRequest> next) {
        return request -> {
            HttpConnection connection = request.connection();
            disarm(connection);
            request.response().endHandler(v -> arm(connection));
            next.handle(request);
        };
    }

    private void arm(HttpConnection connection) {
        long id = vertx.setTimer(headerMillis, t -> {
            timers.remove(connection);
            connection.close();
        });
        Long old = timers.put(connection, id);
        if (old != null) {
            vertx.cancelTimer(old);
        }
    }

    private void disarm(HttpConnection connection) {
        Long id = timers.remove(connection);
        if (id != null) {
            vertx.cancelTimer(id);
        }
    }
}
