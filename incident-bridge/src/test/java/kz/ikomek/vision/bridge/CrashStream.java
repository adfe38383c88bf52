package kz.ikomek.vision.bridge;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;

/**
 * The crash test's input, the same in every run: 10,000 candidates, 95% of them standing conditions on 500
 * places (two cameras each, so ~19 duplicates per place), 5% dumping events on 100 lots. Places are 200 m
 * apart, so the expected incidents are exactly: one per place hit, one per dumping event.
 */
public final class CrashStream {

    public static final int PLACES = 500;
    public static final int LOTS = 100;
    static final Instant BASE = Instant.parse("2026-01-10T06:00:00Z");
    static final IncidentType[] STANDING = {IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE};

    private CrashStream() {
    }

    public static boolean isDumping(int i) {
        return i % 20 == 0;
    }

    /** Which place (0..PLACES-1) or lot (PLACES..) a candidate belongs to: a worker thread owns a key. */
    public static int key(int i) {
        return isDumping(i) ? PLACES + (i / 20) % LOTS : new SplittableRandom(i * 7919L + 17).nextInt(PLACES);
    }

    public static GeoPoint placeOf(int key) {
        GeoPoint origin = Candidates.KABANBAY;
        double north = (key % 25) * 200.0;
        double east = (key / 25) * 200.0;
        return new GeoPoint(origin.lat() + north / 111_195.0,
                origin.lon() + east / (111_195.0 * Math.cos(Math.toRadians(origin.lat()))));
    }

    public static IncidentType typeOf(int key) {
        return key >= PLACES ? IncidentType.DUMPING : STANDING[key % 3];
    }

    public static String camera(int i) {
        int key = key(i);
        if (isDumping(i)) {
            return "dcam-" + key;
        }
        return "cam-" + key + (new SplittableRandom(i * 31L + 5).nextBoolean() ? "-a" : "-b");
    }

    public static Candidate candidate(int i) {
        int key = key(i);
        Instant at = BASE.plusSeconds(60L * i);
        String camera = camera(i);
        if (isDumping(i)) {
            // Events on one lot are 2,000 minutes apart: far outside the dumping merge window.
            return new Candidate("ev-" + i, camera, "lot", IncidentType.DUMPING, placeOf(key), "lot " + key, at,
                    at.plusSeconds(40), 0.85, List.of(Candidates.jpeg("ev-" + i + "-before", at),
                    Candidates.jpeg("ev-" + i + "-after", at.plusSeconds(40))));
        }
        double score = 0.6 + new SplittableRandom(i).nextDouble() * 0.4;
        return new Candidate(camera + "/road/" + typeOf(key).wireName(), camera, "road", typeOf(key), placeOf(key),
                "street " + key, at, at, score, List.of(Candidates.jpeg(camera + "-" + (i % 2), at)));
    }
}
