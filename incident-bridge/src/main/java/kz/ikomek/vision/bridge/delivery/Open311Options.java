package kz.ikomek.vision.bridge.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.config.Urls;

/**
 * The case system (Open311 GeoReport v2) and the automatic submission rules.
 *
 * @param endpoint        base URL; requests go to {@code {endpoint}/requests.json}
 * @param apiKey          sent as the {@code api_key} form field; never logged
 * @param submitAt        {@link IncidentState#CONFIRMED} (default: after an operator confirms) or
 *                        {@link IncidentState#DETECTED} (every new incident at once)
 * @param serviceCodes    per type; a type without a code is never submitted
 * @param dispatchOnAccept when the case system accepts a CONFIRMED incident, move it to DISPATCHED
 * @param mediaBaseUrl    when set, {@code media_url} = {@code {mediaBaseUrl}/{incident id}/evidence/{sha256}}
 * @param timeout         per request
 */
public record Open311Options(URI endpoint, String apiKey, IncidentState submitAt,
                             Map<IncidentType, String> serviceCodes, boolean dispatchOnAccept, String mediaBaseUrl,
                             Duration timeout) {

    public Open311Options {
        if (endpoint == null || endpoint.getScheme() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
            throw new IllegalArgumentException("open311.endpoint: needs an http(s) URL, got '"
                    + (endpoint == null ? null : Urls.mask(endpoint.toString())) + "'");
        }
        if (submitAt != IncidentState.CONFIRMED && submitAt != IncidentState.DETECTED) {
            throw new IllegalArgumentException("open311.submit: must be confirmed or detected, got " + submitAt);
        }
        serviceCodes = serviceCodes == null ? Map.of() : Map.copyOf(serviceCodes);
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("open311.timeout: must be a positive duration, got " + timeout);
        }
    }

    /** Submit on CONFIRMED with the default service codes, dispatching on acceptance. */
    public static Open311Options of(URI endpoint, String apiKey) {
        return new Open311Options(endpoint, apiKey, IncidentState.CONFIRMED, defaultServiceCodes(), true, null,
                Duration.ofSeconds(10));
    }

    public static Map<IncidentType, String> defaultServiceCodes() {
        Map<IncidentType, String> codes = new EnumMap<>(IncidentType.class);
        codes.put(IncidentType.SNOW, "snow-removal");
        codes.put(IncidentType.FLOOD, "storm-drain");
        codes.put(IncidentType.OPEN_MANHOLE, "manhole");
        codes.put(IncidentType.DUMPING, "illegal-dumping");
        return codes;
    }

    /** Parses the config's {@code submit: confirmed|detected}. */
    public static IncidentState parseSubmit(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase()) {
            case "confirmed" -> IncidentState.CONFIRMED;
            case "detected" -> IncidentState.DETECTED;
            default -> throw new IllegalArgumentException(
                    "open311.submit: must be 'confirmed' or 'detected', got '" + value + "'");
        };
    }

    public Open311Options withSubmitAt(IncidentState value) {
        return new Open311Options(endpoint, apiKey, value, serviceCodes, dispatchOnAccept, mediaBaseUrl, timeout);
    }

    public Open311Options withTimeout(Duration value) {
        return new Open311Options(endpoint, apiKey, submitAt, serviceCodes, dispatchOnAccept, mediaBaseUrl, value);
    }

    public Open311Options withMediaBaseUrl(String value) {
        return new Open311Options(endpoint, apiKey, submitAt, serviceCodes, dispatchOnAccept, value, timeout);
    }

    @Override
    public String toString() {
        return "Open311Options[endpoint=" + Urls.mask(endpoint.toString()) + ", apiKey=***, submitAt=" + submitAt
                + ", serviceCodes=" + serviceCodes + "]";
    }
}
