package kz.ikomek.vision.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentBridge;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.metrics.ConsoleMetrics;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import java.util.Set;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.ingest.health.CameraHealth;
import kz.ikomek.vision.ingest.health.CameraState;

/**
 * A real console on a free port in front of a real incident bridge (RocksDB in a temp dir). Incidents are made
 * the way the pipeline makes them: a tracker's {@link Candidate} with JPEG evidence, recorded by the bridge.
 */
final class ConsoleFixture implements AutoCloseable {

    static final String PASSWORD = "correct-horse-battery";
    static final int CAMERAS = 2500;
    static final String CAMERA_PASSWORD = "cam-secret-7731";

    final Vertx vertx = Vertx.vertx();
    final IncidentBridge bridge;
    final ConsoleServer server;
    final Path auditDir;
    private final AtomicInteger seq = new AtomicInteger();

    ConsoleFixture(Path dir) {
        // Cost 4: the role matrix logs in dozens of times; production hashes use cost 12.
        this(dir, 4);
    }

    /** @param bcryptCost of the users' hashes, and so of every password check (the decoy takes the same cost) */
    ConsoleFixture(Path dir, int bcryptCost) {
        bridge = IncidentBridge.open(BridgeOptions.defaults(dir.resolve("bridge")));
        Passwords fast = new Passwords(bcryptCost);
        String hash = fast.hash(PASSWORD);
        List<User> users = List.of(
                new User("operator", Role.OPERATOR, null, hash),
                new User("police", Role.POLICE, null, hash),
                new User("utility", Role.UTILITY, "snow-removal", hash),
                new User("drains", Role.UTILITY, "storm-drain", hash),
                new User("admin", Role.ADMIN, null, hash));
        auditDir = dir.resolve("audit");
        PrometheusMeterRegistry registry = ConsoleMetrics.newRegistry();
        List<CameraHealth> health = new ArrayList<>();
        CameraState[] states = CameraState.values();
        for (int i = 1; i <= CAMERAS; i++) {
            CameraState s = i % 50 == 0 ? states[(i / 50) % states.length] : CameraState.STREAMING;
            health.add(new CameraHealth(String.format("cam-%05d", i), s, Instant.now().minusSeconds(i % 30),
                    s.delivering() ? 12.5 : 0, Duration.ofSeconds(2), i % 7, i % 3,
                    // As ingest masked them before: user info hidden, a password in the path (a common NVR form) not.
                    s.delivering() ? null : "rtsp://***@10.1.2." + (i % 250)
                            + ":554/user=admin&password=" + CAMERA_PASSWORD + "&channel=1&stream=0.sdp: 401 Unauthorized"));
        }
        List<CameraHealth> cameras = List.copyOf(health);
        server = ConsoleServer.start(vertx, ConsoleOptions.of("127.0.0.1", 0, users, auditDir), bridge,
                () -> cameras, registry, sites());
    }

    private static List<CameraSite> sites() {
        List<CameraSite> out = new ArrayList<>();
        for (int i = 0; i < PLACES.length; i++) {
            out.add(new CameraSite("cam-" + (i + 1), PLACES[i], ADDRESSES[i], List.of(
                    Zone.rectangle("road", 0, 0.55, 1, 1,
                            Set.of(IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE)),
                    new Zone("kerb", List.of(new Zone.Point(0.05, 0.35), new Zone.Point(0.45, 0.3),
                            new Zone.Point(0.5, 0.5), new Zone.Point(0.05, 0.52)), Set.of(IncidentType.DUMPING)))));
        }
        return out;
    }

    static final GeoPoint[] PLACES = {
            new GeoPoint(51.1282, 71.4307), new GeoPoint(51.1605, 71.4704), new GeoPoint(51.0950, 71.4180),
            new GeoPoint(51.1800, 71.4100), new GeoPoint(51.1450, 71.3950), new GeoPoint(51.1150, 71.4600),
            new GeoPoint(51.1700, 71.4400), new GeoPoint(51.0850, 71.4500)};
    static final String[] ADDRESSES = {
            "Kabanbay Batyr Ave 1", "Abay Ave 63", "Turan Ave 37", "Respublika Ave 24", "Kenesary St 40",
            "Mangilik El Ave 55", "Beibitshilik St 14", "Kabanbay Batyr Ave 60"};

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Records a fresh candidate at a place of its own (so nothing merges) and returns the stored incident. */
    Incident record(IncidentType type) {
        int n = seq.incrementAndGet();
        int p = n % PLACES.length;
        // A different place each time: spread by ~200 m steps so the 30 m merge radius never joins two.
        GeoPoint place = new GeoPoint(PLACES[p].lat() + (n / PLACES.length) * 0.002, PLACES[p].lon());
        String camera = "cam-" + (p + 1);
        Instant now = Instant.now();
        List<Evidence> evidence = new ArrayList<>();
        if (type == IncidentType.DUMPING) {
            for (String role : List.of("before", "during", "after", "vehicle")) {
                evidence.add(evidence(role, n, now));
            }
        } else {
            evidence.add(evidence("frame", n, now));
        }
        Candidate c = new Candidate(type == IncidentType.DUMPING ? "dump-" + n : camera + "/zone-" + n + "/" + type.wireName(), camera, "zone-" + n, type,
                place, ADDRESSES[p], now.minusSeconds(90), now, 0.8 + (n % 10) / 100.0, evidence);
        return bridge.record(c).incident();
    }

    /** Moves an incident along as an operator would, through the bridge itself. */
    Incident advance(Incident i, IncidentAction... actions) {
        Incident cur = i;
        for (IncidentAction a : actions) {
            cur = bridge.act(cur.id(), a, "setup", null);
        }
        return cur;
    }

    static Evidence evidence(String role, int n, Instant at) {
        BufferedImage img = new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(70, 90, 110), 0, 360, new Color(35, 38, 42)));
        g.fillRect(0, 0, 640, 360);
        g.setColor(new Color(90, 92, 96));
        g.fillRect(0, 200, 640, 160);
        g.setColor(new Color(230, 230, 220));
        for (int x = 20; x < 640; x += 80) {
            g.fillRect(x, 276, 40, 6);
        }
        switch (role) {
            case "during", "vehicle" -> {
                g.setColor(new Color(200, 120, 40));
                g.fillRect(120, 150, 260, 110);
                g.setColor(new Color(40, 40, 40));
                g.fillOval(150, 240, 40, 40);
                g.fillOval(320, 240, 40, 40);
            }
            case "after" -> {
                g.setColor(new Color(120, 100, 70));
                g.fillOval(80, 170, 200, 60);
            }
            case "frame" -> {
                g.setColor(new Color(240, 245, 250));
                g.fillRect(0, 230, 640, 130);
            }
            default -> {
            }
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 16));
        g.drawString(role + " #" + n + " " + at, 12, 24);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", out);
            byte[] jpeg = out.toByteArray();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg));
            return new Evidence(role, sha, at, jpeg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP client with its own cookie jar: one per logged-in user. */
    Client client() {
        return new Client(HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    Client login(String username) throws Exception {
        Client c = client();
        HttpResponse<String> r = c.post("/api/login", new JsonObject().put("username", username)
                .put("password", PASSWORD).encode());
        assertThat(r.statusCode()).as("login %s: %s", username, r.body()).isEqualTo(200);
        return c;
    }

    final class Client {
        final HttpClient http;

        Client(HttpClient http) {
            this.http = http;
        }

        /** The session cookie as a request header value, for raw requests on this user's behalf. */
        String cookie() {
            CookieManager jar = (CookieManager) http.cookieHandler().orElseThrow();
            return jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("ikomek_session"))
                    .map(c -> c.getName() + "=" + c.getValue()).findFirst().orElseThrow();
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<byte[]> getBytes(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<String> post(String path, String json) throws Exception {
            return post(path, json, "application/json");
        }

        HttpResponse<String> post(String path, String body, String contentType, String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (headers.length > 0) {
                b.headers(headers);
            }
            b.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Waits for a condition with a deadline instead of sleeping a guessed time. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        server.close();
        bridge.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("closing Vert.x", e);
        }
    }
}
