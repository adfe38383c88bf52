package kz.ikomek.vision.detectors;

/** An axis-aligned box in pixels of the analysed frame. */
public record Box(int x, int y, int width, int height) {
}
