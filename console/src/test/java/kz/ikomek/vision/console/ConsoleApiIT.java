package kz.ikomek.vision.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.console.ConsoleFixture.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint × every role against a real console and a real RocksDB-backed bridge, over real HTTP. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiIT {

    private static final List<String> WHO = List.of("anonymous", "operator", "police", "utility", "admin");

    ConsoleFixture fx;
    final Map<String, Client> as = new HashMap<>();
    Incident snowPending;
    Incident dumping;
    Incident snowDispatched;
    Incident floodDispatched;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new ConsoleFixture(dir);
        snowPending = fx.record(IncidentType.SNOW);
        dumping = fx.record(IncidentType.DUMPING);
        snowDispatched = fx.advance(fx.record(IncidentType.SNOW), IncidentAction.CONFIRM, IncidentAction.DISPATCH);
        floodDispatched = fx.advance(fx.record(IncidentType.FLOOD), IncidentAction.CONFIRM, IncidentAction.DISPATCH);
        as.put("anonymous", fx.client());
        for (String u : WHO.subList(1, WHO.size())) {
            as.put(u, fx.login(u));
        }
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    private record Row(String name, Supplier<String> path, int... expected) {
    }

    private String evidence(Incident i, String role) {
        return "/api/incidents/" + i.id() + "/evidence/"
                + i.evidence().stream().filter(e -> e.role().equals(role)).findFirst().orElseThrow().sha256();
    }

    /** Expected status per caller, in the order anonymous, operator, police, utility (snow-removal), admin. */
    @TestFactory
    Stream<DynamicTest> every_read_endpoint_answers_each_role_as_the_matrix_says() {
        List<Row> rows = List.of(
                new Row("GET /api/me", () -> "/api/me", 401, 200, 200, 200, 200),
                new Row("GET /api/incidents", () -> "/api/incidents", 401, 200, 200, 200, 200),
                new Row("GET snow incident pending review", () -> "/api/incidents/" + snowPending.id(), 401, 200, 403, 403, 200),
                new Row("GET dumping incident", () -> "/api/incidents/" + dumping.id(), 401, 200, 200, 403, 200),
                new Row("GET snow incident dispatched to snow-removal", () -> "/api/incidents/" + snowDispatched.id(), 401, 200, 403, 200, 200),
                new Row("GET flood incident dispatched to storm-drain", () -> "/api/incidents/" + floodDispatched.id(), 401, 200, 403, 403, 200),
                new Row("GET unknown incident", () -> "/api/incidents/no-such-id", 401, 404, 404, 404, 404),
                new Row("GET snow frame", () -> evidence(snowDispatched, "frame"), 401, 200, 403, 200, 200),
                new Row("GET dumping 'during' frame (vehicle)", () -> evidence(dumping, "during"), 401, 200, 200, 403, 403),
                new Row("GET dumping vehicle crop", () -> evidence(dumping, "vehicle"), 401, 200, 200, 403, 403),
                new Row("GET evidence not of this incident", () -> "/api/incidents/" + snowDispatched.id() + "/evidence/" + "0".repeat(64), 401, 404, 403, 404, 404),
                new Row("GET evidence with a malformed hash", () -> "/api/incidents/" + snowDispatched.id() + "/evidence/xyz", 401, 400, 400, 400, 400),
                new Row("GET dumping case-file export", () -> "/api/incidents/" + dumping.id() + "/export", 401, 200, 200, 403, 403),
                new Row("GET /api/cameras", () -> "/api/cameras", 401, 200, 403, 403, 200),
                new Row("GET /api/sites", () -> "/api/sites", 401, 200, 200, 200, 200),
                new Row("GET /api/audit", () -> "/api/audit", 401, 403, 403, 403, 200),
                new Row("GET /api/incidents?state=bogus", () -> "/api/incidents?state=bogus", 401, 400, 400, 400, 400),
                new Row("GET /api/incidents?type=bogus", () -> "/api/incidents?type=bogus", 401, 400, 400, 400, 400),
                new Row("GET unknown API path", () -> "/api/nothing-here", 401, 404, 404, 404, 404),
                new Row("GET /healthz", () -> "/healthz", 200, 200, 200, 200, 200),
                new Row("GET /metrics", () -> "/metrics", 200, 200, 200, 200, 200),
                new Row("GET / (the page)", () -> "/", 200, 200, 200, 200, 200));
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : rows) {
            for (int w = 0; w < WHO.size(); w++) {
                String who = WHO.get(w);
                int expected = row.expected()[w];
                tests.add(DynamicTest.dynamicTest(row.name() + " as " + who + " -> " + expected, () -> {
                    HttpResponse<byte[]> r = as.get(who).getBytes(row.path().get());
                    String body = new String(r.body(), StandardCharsets.UTF_8);
                    assertThat(r.statusCode()).as(body).isEqualTo(expected);
                    if (expected >= 400) {
                        JsonObject err = new JsonObject(body);
                        assertThat(err.getInteger("status")).isEqualTo(expected);
                        assertThat(err.getString("error")).isNotBlank();
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void each_role_lists_only_what_it_may_see() throws Exception {
        assertThat(ids("operator")).contains(snowPending.id(), dumping.id(), snowDispatched.id(), floodDispatched.id());
        assertThat(ids("admin")).contains(snowPending.id(), dumping.id(), snowDispatched.id(), floodDispatched.id());
        List<String> police = ids("police");
        assertThat(police).contains(dumping.id()).doesNotContain(snowPending.id(), snowDispatched.id(), floodDispatched.id());
        List<String> utility = ids("utility");
        assertThat(utility).contains(snowDispatched.id()).doesNotContain(snowPending.id(), dumping.id(), floodDispatched.id());
        JsonObject filtered = new JsonObject(as.get("operator").get("/api/incidents?type=flood&state=DISPATCHED").body());
        assertThat(filtered.getJsonArray("incidents").stream().map(o -> ((JsonObject) o).getString("id")).toList())
                .contains(floodDispatched.id()).doesNotContain(snowDispatched.id(), dumping.id());
    }

    private List<String> ids(String who) throws Exception {
        JsonObject page = new JsonObject(as.get(who).get("/api/incidents").body());
        return page.getJsonArray("incidents").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    }

    @Test
    void vehicle_frames_are_withheld_from_the_incident_as_an_admin_sees_it() throws Exception {
        JsonObject forAdmin = new JsonObject(as.get("admin").get("/api/incidents/" + dumping.id()).body());
        assertThat(forAdmin.getJsonArray("evidence")).isEmpty();
        assertThat(forAdmin.getInteger("evidenceWithheld")).isEqualTo(4);
        assertThat(forAdmin.getJsonArray("actions")).isEmpty();
        JsonObject forPolice = new JsonObject(as.get("police").get("/api/incidents/" + dumping.id()).body());
        assertThat(forPolice.getJsonArray("evidence")).hasSize(4);
        assertThat(forPolice.getJsonArray("actions").getList()).containsExactly("confirm", "reject");
        assertThat(forPolice.getBoolean("exportable")).isTrue();
    }

    @Test
    void actions_follow_the_role_matrix_and_the_lifecycle() throws Exception {
        // confirm: operator and (for dumping) police; not utility or admin.
        Incident s1 = fx.record(IncidentType.SNOW);
        assertThat(act("anonymous", s1, "confirm", null).statusCode()).isEqualTo(401);
        assertThat(act("police", s1, "confirm", null).statusCode()).isEqualTo(403);
        assertThat(act("utility", s1, "confirm", null).statusCode()).isEqualTo(403);
        assertThat(act("admin", s1, "confirm", null).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = act("operator", s1, "confirm", null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getString("state")).isEqualTo("CONFIRMED");
        // the same action again is an illegal transition
        HttpResponse<String> again = act("operator", s1, "confirm", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(again.body()).getString("error")).contains("CONFIRMED");
        // dispatch: operator only
        assertThat(act("admin", s1, "dispatch", null).statusCode()).isEqualTo(403);
        assertThat(act("operator", s1, "dispatch", null).statusCode()).isEqualTo(200);
        // resolve by the utility it was dispatched to: needs a comment
        HttpResponse<String> noComment = act("utility", s1, "resolve", null);
        assertThat(noComment.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noComment.body()).getString("error")).contains("comment");
        assertThat(act("drains", s1, "resolve", "cleared").statusCode()).isEqualTo(401); // not logged in yet
        Client drains = fx.login("drains");
        assertThat(drains.post("/api/incidents/" + s1.id() + "/resolve", "{\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> resolved = act("utility", s1, "resolve", "plough passed at 09:40, lane clear");
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        JsonObject r = new JsonObject(resolved.body());
        assertThat(r.getString("state")).isEqualTo("RESOLVED");
        JsonObject last = r.getJsonArray("history").getJsonObject(r.getJsonArray("history").size() - 1);
        assertThat(last.getString("actor")).isEqualTo("utility");
        assertThat(last.getString("reason")).isEqualTo("plough passed at 09:40, lane clear");

        // police judge dumping; reject needs a reason
        Incident d1 = fx.record(IncidentType.DUMPING);
        assertThat(act("police", d1, "dispatch", null).statusCode()).isEqualTo(403);
        HttpResponse<String> noReason = act("police", d1, "reject", null);
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noReason.body()).getString("error")).contains("reason");
        assertThat(act("police", d1, "reject", "   ").statusCode()).isEqualTo(400);
        HttpResponse<String> rejected = act("police", d1, "reject", "shadow of a bus, no truck");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(new JsonObject(rejected.body()).getString("state")).isEqualTo("REJECTED");
        Incident d2 = fx.record(IncidentType.DUMPING);
        assertThat(act("police", d2, "confirm", null).statusCode()).isEqualTo(200);
        assertThat(act("operator", d2, "resolve", null).statusCode()).isEqualTo(409);

        assertThat(act("operator", "no-such-id", "confirm", null).statusCode()).isEqualTo(404);
    }

    @Test
    void malformed_requests_get_a_400_with_the_reason() throws Exception {
        Incident s = fx.record(IncidentType.FLOOD);
        Client op = as.get("operator");
        String path = "/api/incidents/" + s.id() + "/";
        assertReason(op.post(path + "approve", "{}"), 400, "unknown action 'approve'");
        assertReason(op.post(path + "reject", "{\"reason\": "), 400, "malformed JSON");
        assertReason(op.post(path + "reject", "[\"why\"]"), 400, "must be a JSON object");
        assertReason(op.post(path + "reject", "{\"reason\": 42}"), 400, "'reason' must be a string");
        assertReason(op.post(path + "reject", "reason=spam", "application/x-www-form-urlencoded"), 415, "Content-Type: application/json");
        assertReason(op.post(path + "reject", "{\"reason\": \"" + "x".repeat(2001) + "\"}"), 400, "at most 2000");
        assertReason(op.post(path + "reject", "{\"reason\": \"" + "x".repeat(70_000) + "\"}"), 413, "too large");
        assertReason(op.get("/api/cameras?limit=0"), 400, "'limit' must be between 1 and 1000");
        assertReason(op.get("/api/cameras?offset=abc"), 400, "whole number");
        assertReason(op.get("/api/cameras?state=melting"), 400, "unknown camera state");
        assertReason(op.get("/api/incidents?district=Atlantis"), 400, "unknown district");
        Client anon = fx.client();
        assertReason(anon.post("/api/login", "{\"username\": \"operator\"}"), 400, "password");
        assertReason(anon.post("/api/login", "not json"), 400, "malformed JSON");
        assertReason(anon.post("/api/login", "{\"username\": [1], \"password\": \"x\"}"), 400, "'username' must be a string");
        assertReason(anon.post("/api/login", "{\"username\": \"operator\", \"password\": \"wrong-password\"}"), 401, "wrong username or password");
        assertReason(anon.post("/api/login", "{\"username\": \"nobody\", \"password\": \"wrong-password\"}"), 401, "wrong username or password");
        assertReason(anon.get("/api/incidents"), 401, "log in");
    }

    private static void assertReason(HttpResponse<String> r, int status, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(new JsonObject(r.body()).getString("error")).contains(reason);
    }

    private HttpResponse<String> act(String who, Incident i, String action, String reason) throws Exception {
        return act(who, i.id(), action, reason);
    }

    private HttpResponse<String> act(String who, String id, String action, String reason) throws Exception {
        Client c = as.containsKey(who) ? as.get(who) : fx.client();
        String body = reason == null ? "{}" : new JsonObject().put("reason", reason).encode();
        return c.post("/api/incidents/" + id + "/" + action, body);
    }

    @Test
    void logins_are_rate_limited_per_username() throws Exception {
        Client c = fx.client();
        String wrong = "{\"username\": \"mallory\", \"password\": \"guess-guess\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(c.post("/api/login", wrong).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = c.post("/api/login", wrong);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(blocked.body()).getString("error")).contains("too many failed logins");
    }

    @Test
    void session_cookie_is_http_only_and_same_site_strict_and_security_headers_are_set() throws Exception {
        HttpResponse<String> r = fx.client().post("/api/login",
                new JsonObject().put("username", "police").put("password", ConsoleFixture.PASSWORD).encode());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("ikomek_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        assertThat(cookie).doesNotContain("Secure");
        assertThat(new JsonObject(r.body()).getString("role")).isEqualTo("police");
        for (String path : List.of("/", "/api/incidents", "/app.js")) {
            HttpResponse<String> page = as.get("operator").get(path);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        }
        assertThat(as.get("operator").get("/").body()).doesNotContain("<script>").doesNotContain("style=\"");
    }

    @Test
    void a_state_change_from_another_origin_is_refused() throws Exception {
        Incident s = fx.record(IncidentType.OPEN_MANHOLE);
        Client op = as.get("operator");
        String path = "/api/incidents/" + s.id() + "/confirm";
        HttpResponse<String> evil = op.post(path, "{}", "application/json", "Origin", "http://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(evil.body()).getString("error")).contains("cross-origin");
        HttpResponse<String> sibling = op.post(path, "{}", "application/json", "Sec-Fetch-Site", "cross-site");
        assertThat(sibling.statusCode()).isEqualTo(403);
        HttpResponse<String> own = op.post(path, "{}", "application/json", "Origin", fx.url(""));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    }

    @Test
    void evidence_is_the_stored_jpeg_and_the_export_carries_every_frame_with_its_hash() throws Exception {
        HttpResponse<byte[]> jpeg = as.get("police").getBytes(evidence(dumping, "vehicle"));
        assertThat(jpeg.headers().firstValue("Content-Type")).contains("image/jpeg");
        String sha = dumping.evidence().stream().filter(e -> e.role().equals("vehicle")).findFirst().orElseThrow().sha256();
        assertThat(sha256(jpeg.body())).isEqualTo(sha);
        assertThat(jpeg.body()[0]).isEqualTo((byte) 0xFF);

        HttpResponse<byte[]> zip = as.get("police").getBytes("/api/incidents/" + dumping.id() + "/export");
        assertThat(zip.headers().firstValue("Content-Type")).contains("application/zip");
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        JsonObject manifest = new JsonObject(new String(files.get("manifest.json"), StandardCharsets.UTF_8));
        assertThat(manifest.getString("incident")).isEqualTo(dumping.id());
        assertThat(manifest.getString("exportedBy")).isEqualTo("police");
        JsonArray listed = manifest.getJsonArray("files");
        assertThat(listed).hasSize(4);
        for (Object o : listed) {
            JsonObject f = (JsonObject) o;
            assertThat(sha256(files.get(f.getString("file")))).isEqualTo(f.getString("sha256"));
        }
        String sums = new String(files.get("SHA256SUMS"), StandardCharsets.UTF_8);
        assertThat(sums.lines()).hasSize(4).allMatch(l -> l.matches("[0-9a-f]{64}  \\d\\d-\\w+-[0-9a-f]{12}\\.jpg"));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void camera_health_is_paged_with_counts_over_all_cameras() throws Exception {
        JsonObject page = new JsonObject(as.get("operator").get("/api/cameras?offset=2400&limit=250").body());
        assertThat(page.getInteger("total")).isEqualTo(ConsoleFixture.CAMERAS);
        assertThat(page.getJsonArray("cameras")).hasSize(100);
        assertThat(page.getJsonArray("cameras").getJsonObject(0).getString("id")).isEqualTo("cam-02401");
        JsonObject byState = page.getJsonObject("byState");
        int sum = byState.fieldNames().stream().mapToInt(byState::getInteger).sum();
        assertThat(sum).isEqualTo(ConsoleFixture.CAMERAS);
        JsonObject unreachable = new JsonObject(as.get("admin").get("/api/cameras?state=unreachable").body());
        assertThat(unreachable.getInteger("matched")).isEqualTo(byState.getInteger("unreachable")).isPositive();
        assertThat(unreachable.getJsonArray("cameras").getJsonObject(0).getString("lastError")).contains("***@")
                .doesNotContainPattern("rtsp://\\w+:\\w+@");
    }

    @Test
    void metrics_show_incidents_and_cameras_by_state_in_prometheus_text() throws Exception {
        HttpResponse<String> m = fx.client().get("/metrics");
        assertThat(m.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(m.body()).contains("ikomek_incidents{state=\"DISPATCHED\"}")
                .contains("ikomek_cameras{state=\"streaming\"}").contains("ikomek_frames_per_second");
        double dispatched = m.body().lines().filter(l -> l.startsWith("ikomek_incidents{state=\"DISPATCHED\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertThat(dispatched).isGreaterThanOrEqualTo(2);
    }

    @Test
    void events_stream_each_role_only_the_changes_it_may_see() throws Exception {
        CompletableFuture<String> police = firstIncidentEvent("police");
        CompletableFuture<String> operator = firstIncidentEvent("operator");
        Incident snow = fx.record(IncidentType.SNOW);
        Incident dump = fx.record(IncidentType.DUMPING);
        assertThat(operator.get(20, TimeUnit.SECONDS)).isEqualTo(snow.id());
        assertThat(police.get(20, TimeUnit.SECONDS)).isEqualTo(dump.id());
        HttpResponse<String> anon = fx.client().get("/api/events");
        assertThat(anon.statusCode()).isEqualTo(401);
    }

    /** Opens /api/events, waits for its hello, and completes with the id of the first incident event. */
    private CompletableFuture<String> firstIncidentEvent(String who) throws Exception {
        HttpResponse<InputStream> r = as.get(who).http.send(HttpRequest.newBuilder(URI.create(fx.url("/api/events")))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("event: hello")) {
                break;
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                boolean incident = false;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("event: incident")) {
                        incident = true;
                    } else if (incident && line.startsWith("data: ")) {
                        return new JsonObject(line.substring(6)).getString("id");
                    }
                }
                throw new AssertionError("stream ended without an incident event");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void logins_and_state_changes_land_in_the_audit_log_that_admins_read_and_that_verifies() throws Exception {
        Incident s = fx.record(IncidentType.SNOW);
        assertThat(act("police", s, "confirm", null).statusCode()).isEqualTo(403);
        assertThat(act("operator", s, "confirm", null).statusCode()).isEqualTo(200);
        fx.client().post("/api/login", "{\"username\": \"operator\", \"password\": \"nope-nope\"}");
        JsonObject audit = new JsonObject(as.get("admin").get("/api/audit?limit=1000").body());
        assertThat(audit.getJsonObject("verification").getBoolean("ok")).isTrue();
        List<JsonObject> entries = audit.getJsonArray("entries").stream().map(o -> (JsonObject) o).toList();
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("confirm");
            assertThat(e.getString("target")).isEqualTo(s.id());
            assertThat(e.getString("actor")).isEqualTo("operator");
            assertThat(e.getString("address")).isEqualTo("127.0.0.1");
            assertThat(e.getString("outcome")).isEqualTo("ok");
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("login");
            assertThat(e.getString("actor")).isEqualTo("operator");
            assertThat(e.getString("outcome")).isEqualTo("bad_password");
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.getString("actor")).isEqualTo("police");
            assertThat(e.getString("target")).isEqualTo(s.id());
            assertThat(e.getString("outcome")).isEqualTo("denied");
        });
        assertThat(fx.server.audit().verify().ok()).isTrue();
    }

    @Test
    void logout_ends_the_session() throws Exception {
        Client c = fx.login("admin");
        assertThat(c.get("/api/me").statusCode()).isEqualTo(200);
        assertThat(c.post("/api/logout", "{}").statusCode()).isEqualTo(200);
        assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
        assertThat(c.post("/api/logout", "{}").statusCode()).isEqualTo(401);
    }
}
