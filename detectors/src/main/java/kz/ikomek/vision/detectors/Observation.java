package kz.ikomek.vision.detectors;

import java.time.Instant;
import kz.ikomek.vision.config.IncidentType;

/** One detector's verdict on one zone of one frame. {@code box} is null for whole-zone classifiers. */
public record Observation(String cameraId, String zoneId, IncidentType type, double score, boolean positive,
                          Box box, Instant at) {
}
