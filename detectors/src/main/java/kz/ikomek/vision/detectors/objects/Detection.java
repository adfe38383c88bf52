package kz.ikomek.vision.detectors.objects;

import java.util.Locale;
import kz.ikomek.vision.detectors.Box;

/** One object an object detector found: its label (e.g. "truck"), score 0..1 and box in frame pixels. */
public record Detection(String label, double score, Box box) {

    /** "truck 0.41": how evidence and logs name it. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.2f", label, score);
    }
}
