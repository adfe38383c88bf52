package kz.ikomek.vision.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;

/** Test candidates: a fake JPEG per (camera, label) so evidence is content-addressed like the real thing. */
public final class Candidates {

    public static final GeoPoint KABANBAY = new GeoPoint(51.1282, 71.4307);

    private Candidates() {
    }

    public static Evidence jpeg(String label, Instant at) {
        byte[] bytes = ("\u00ff\u00d8 fake jpeg " + label).getBytes(StandardCharsets.ISO_8859_1);
        return new Evidence("frame", EvidenceFiles.sha256(bytes), at, bytes);
    }

    public static Candidate of(IncidentType type, String camera, String zone, GeoPoint place, Instant at) {
        return new Candidate(camera + "/" + zone + "/" + type.wireName(), camera, zone, type, place,
                "Kabanbay Batyr Ave 1", at, at, 0.9, List.of(jpeg(camera + zone + type + at, at)));
    }

    public static Candidate dumping(String eventId, String camera, String zone, GeoPoint place, Instant at) {
        return new Candidate(eventId, camera, zone, IncidentType.DUMPING, place, "Mangilik El 55", at, at, 0.8,
                List.of(jpeg(eventId + "before", at), jpeg(eventId + "after", at.plusSeconds(30))));
    }

    /** A point {@code meters} north of {@code p}. */
    public static GeoPoint north(GeoPoint p, double meters) {
        return new GeoPoint(p.lat() + meters / 111_195.0, p.lon());
    }
}
