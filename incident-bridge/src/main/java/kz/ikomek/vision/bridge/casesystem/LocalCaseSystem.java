package kz.ikomek.vision.bridge.casesystem;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the city's case system, speaking real HTTP: Open311 GeoReport v2 {@code POST …/requests.json}
 * that honours {@code Idempotency-Key} (a repeated key gets the service request filed the first time). The demo
 * runs one so that confirmed incidents really go somewhere; the tests use it to count what arrived per incident
 * and to inject outages ({@link Mode}).
 */
public final class LocalCaseSystem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCaseSystem.class);

    /** How it answers: normally, with 500s, not at all (until the mode changes), or with a non-JSON page. */
    public enum Mode { OK, ERROR_500, HANG, GARBAGE }

    private static final String PATH = "/open311/v2/requests.json";

    private final HttpServer server;
    private final String apiKey;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private volatile CountDownLatch hang = new CountDownLatch(1);
    private final Map<String, AtomicInteger> postsPerKey = new ConcurrentHashMap<>();
    private final Map<String, String> filed = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> forms = new ConcurrentHashMap<>();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger badRequests = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * @param port   0 for any free port
     * @param apiKey the {@code api_key} every request must carry (400 otherwise)
     */
    public LocalCaseSystem(int port, String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext(PATH, this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    /** The base URL to configure as {@code delivery.open311.endpoint}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/open311/v2/");
    }

    public void mode(Mode m) {
        Mode old = mode.getAndSet(m);
        if (old == Mode.HANG && m != Mode.HANG) {
            hang.countDown();
            hang = new CountDownLatch(1);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                answer(ex, 405, "[{\"code\":405,\"description\":\"POST only\"}]");
                return;
            }
            posts.incrementAndGet();
            Map<String, String> form = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            Mode m = mode.get();
            if (m == Mode.HANG) {
                try {
                    hang.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (m == Mode.ERROR_500) {
                answer(ex, 500, "internal error");
                return;
            }
            if (m == Mode.GARBAGE) {
                answer(ex, 200, "<html>maintenance</html>");
                return;
            }
            String id = form.get("attribute[incident_id]");
            if (key == null || !key.equals(id) || form.get("service_code") == null || form.get("lat") == null
                    || form.get("long") == null || !apiKey.equals(form.get("api_key"))) {
                badRequests.incrementAndGet();
                answer(ex, 400, "[{\"code\":400,\"description\":\"missing or inconsistent fields\"}]");
                return;
            }
            postsPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            boolean first = forms.putIfAbsent(key, form) == null;
            String requestId = filed.computeIfAbsent(key, k -> "SR-" + sequence.incrementAndGet());
            if (first) {
                log.info("case system: filed {} for incident {} ({}, {})", requestId, id, form.get("service_code"),
                        form.get("address_string"));
            }
            answer(ex, 201, "[{\"service_request_id\":\"" + requestId + "\",\"service_notice\":\"\"}]");
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** Incident id → service request id, one per distinct Idempotency-Key. */
    public Map<String, String> filed() {
        return Map.copyOf(filed);
    }

    public Map<String, String> form(String incidentId) {
        return forms.get(incidentId);
    }

    public int posts() {
        return posts.get();
    }

    public int badRequests() {
        return badRequests.get();
    }

    /** POSTs that repeated a key already filed (resends absorbed by the idempotency key). */
    public int resends() {
        return postsPerKey.values().stream().mapToInt(n -> n.get() - 1).sum();
    }

    public List<String> keys() {
        return List.copyOf(filed.keySet());
    }

    @Override
    public void close() {
        mode(Mode.OK);
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
