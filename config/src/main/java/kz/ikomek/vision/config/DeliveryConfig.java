package kz.ikomek.vision.config;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Where incidents go besides the console; each channel is off when absent. */
public record DeliveryConfig(Optional<Kafka> kafka, Optional<Open311> open311) {

    /** CloudEvents JSON on {@code topic}, keyed by incident id. */
    public record Kafka(String bootstrap, String topic) {
    }

    /**
     * The case system (Open311 GeoReport v2). {@code dispatchOnAccept}: an incident the case system
     * accepts becomes DISPATCHED; {@code mediaBaseUrl}: where the case system can fetch evidence
     * ({@code media_url} = {mediaBaseUrl}/{incident id}/evidence/{sha256}).
     */
    public record Open311(String endpoint, Optional<Secret> apiKey, Submit submit,
                          Map<IncidentType, String> serviceCodes, int maxAttempts, Duration timeout,
                          boolean dispatchOnAccept, Optional<String> mediaBaseUrl) {
        public Open311 {
            serviceCodes = serviceCodes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(serviceCodes));
        }

        @Override
        public String toString() {
            return "Open311[endpoint=" + Urls.mask(endpoint) + ", apiKey=" + apiKey.map(Secret::toString).orElse("-")
                    + ", submit=" + submit + ", serviceCodes=" + serviceCodes + ", maxAttempts=" + maxAttempts
                    + ", timeout=" + timeout + ", dispatchOnAccept=" + dispatchOnAccept
                    + ", mediaBaseUrl=" + mediaBaseUrl.map(Urls::mask).orElse("-") + "]";
        }
    }

    /** When an incident is sent to the case system. */
    public enum Submit {
        /** After an operator confirms it. */
        CONFIRMED,
        /** As soon as it is detected. */
        DETECTED
    }
}
