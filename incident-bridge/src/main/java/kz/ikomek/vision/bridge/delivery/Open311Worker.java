package kz.ikomek.vision.bridge.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.OutboxEntry;
import kz.ikomek.vision.config.Urls;

/**
 * Files incidents with the case system over Open311 GeoReport v2: {@code POST {endpoint}/requests.json},
 * form-encoded, with {@code Idempotency-Key: <incident id>} so that a resend after a crash (we may die between
 * its answer and our write) files nothing twice. The answer's {@code service_request_id} is stored on the
 * incident. 5xx, timeouts and garbage answers are retried with backoff; 4xx (but 408/429) is permanent.
 */
public final class Open311Worker extends OutboxWorker {

    private final Open311Options options;
    private final HttpClient http;
    private final URI requestsUri;

    public Open311Worker(Open311Options options, BridgeStore store, DeliverySink sink, RetryPolicy retry, Clock clock) {
        super("open311", OutboxEntry.OPEN311, store, sink, retry, clock, 16);
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
        String base = options.endpoint().toString();
        this.requestsUri = URI.create((base.endsWith("/") ? base : base + "/") + "requests.json");
    }

    /** Sends the batch concurrently (distinct incidents), then reports each. */
    @Override
    protected void deliver(List<OutboxEntry> due) {
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (OutboxEntry e : due) {
            Optional<Incident> incident = sink.incident(e.incidentId());
            if (incident.isEmpty()) {
                sink.discard(e, "incident no longer stored");
                continue;
            }
            Incident i = incident.get();
            if (i.serviceRequestId() != null) {
                sink.discard(e, "already filed as " + i.serviceRequestId());
                continue;
            }
            String code = options.serviceCodes().get(i.type());
            if (code == null) {
                sink.discard(e, "no service code for " + i.type().wireName());
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(requestsUri).timeout(options.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .header("Idempotency-Key", i.id())
                    .POST(HttpRequest.BodyPublishers.ofString(form(i, code))).build();
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, error) -> {
                        report(e, response, error);
                        return null;
                    }));
        }
        inFlight.forEach(CompletableFuture::join);
    }

    private void report(OutboxEntry e, HttpResponse<String> response, Throwable error) {
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            failed(e, Urls.mask(requestsUri.toString()) + " unreachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage()), false);
            return;
        }
        int status = response.statusCode();
        if (status >= 500 || status == 408 || status == 429) {
            failed(e, "case system answered " + status, false);
            return;
        }
        if (status >= 400) {
            failed(e, "case system refused the request with " + status + ": " + excerpt(response.body()), true);
            return;
        }
        Optional<String> id = serviceRequestId(response.body());
        if (id.isEmpty()) {
            failed(e, "case system answered " + status + " without a service_request_id: "
                    + excerpt(response.body()), false);
            return;
        }
        succeeded(e);
        sink.submitted(e, id.get());
    }

    /** GeoReport v2 answers {@code [{"service_request_id": "…"}]}, or a {@code token} when it files later. */
    static Optional<String> serviceRequestId(String body) {
        try {
            JsonNode root = Codec.JSON.readTree(body);
            JsonNode first = root != null && root.isArray() && !root.isEmpty() ? root.get(0) : root;
            if (first == null || !first.isObject()) {
                return Optional.empty();
            }
            JsonNode id = first.get("service_request_id");
            if (id != null && !id.isNull() && !id.asText().isBlank()) {
                return Optional.of(id.asText());
            }
            JsonNode token = first.get("token");
            if (token != null && !token.isNull() && !token.asText().isBlank()) {
                return Optional.of("token:" + token.asText());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "(no body)";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "…" : oneLine;
    }

    String form(Incident i, String serviceCode) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("api_key", options.apiKey() == null ? "" : options.apiKey());
        f.put("service_code", serviceCode);
        f.put("lat", Double.toString(i.place().lat()));
        f.put("long", Double.toString(i.place().lon()));
        f.put("address_string", i.address() == null ? "" : i.address());
        f.put("description", description(i));
        if (options.mediaBaseUrl() != null && !i.evidence().isEmpty()) {
            EvidenceRef best = i.evidence().get(0);
            String base = options.mediaBaseUrl().endsWith("/") ? options.mediaBaseUrl() : options.mediaBaseUrl() + "/";
            f.put("media_url", base + i.id() + "/evidence/" + best.sha256());
        }
        f.put("attribute[incident_id]", i.id());
        return f.entrySet().stream()
                .map(en -> enc(en.getKey()) + "=" + enc(en.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String description(Incident i) {
        return i.type().wireName().replace('_', ' ') + " seen by " + String.join(", ", i.cameras())
                + " since " + i.firstSeen() + " (score " + String.format(java.util.Locale.ROOT, "%.2f", i.bestScore())
                + "; ikomek-vision incident " + i.id() + ")";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
