package kz.ikomek.vision.detectors.scene;

import kz.ikomek.vision.detectors.Box;

/**
 * One type's verdict on one zone.
 *
 * @param score     0..1
 * @param threshold from the model card
 * @param positive  score ≥ threshold
 * @param box       where, in frame pixels, for detectors (YOLO); null for whole-zone classifiers
 */
public record Score(double score, double threshold, boolean positive, Box box) {

    public static Score of(double score, double threshold, Box box) {
        return new Score(score, threshold, score >= threshold, box);
    }
}
