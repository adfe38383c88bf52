package kz.ikomek.vision.detectors;

/** An axis-aligned box in pixels of the analysed frame. */
public record Box(int x, int y, int width, int height) {

    /** This box with {@code share} of its own size added on each side, cut to a {@code frameW} × {@code frameH} frame. */
    public Box withContext(double share, int frameW, int frameH) {
        int gx = (int) Math.round(width * share);
        int gy = (int) Math.round(height * share);
        int x0 = Math.max(0, x - gx);
        int y0 = Math.max(0, y - gy);
        return new Box(x0, y0, Math.min(frameW, x + width + gx) - x0, Math.min(frameH, y + height + gy) - y0);
    }
}
