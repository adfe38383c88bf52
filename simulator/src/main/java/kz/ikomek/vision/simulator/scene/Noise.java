package kz.ikomek.vision.simulator.scene;

/**
 * Seeded value noise. Textures (asphalt grain, snow drifts, puddle shapes) are functions of world
 * position, so they sit still on the road as cars move and shrink correctly with distance.
 */
final class Noise {
    private final long seed;

    Noise(long seed) {
        this.seed = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /** A stable pseudo-random value in [0, 1) for an integer lattice point. */
    double hash(long x, long y) {
        long h = seed ^ (x * 0x27D4EB2F165667C5L) ^ (y * 0x165667B19E3779F9L);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Smooth value noise in [0, 1). */
    double value(double x, double y) {
        long x0 = (long) Math.floor(x);
        long y0 = (long) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double sx = fx * fx * (3 - 2 * fx);
        double sy = fy * fy * (3 - 2 * fy);
        double a = hash(x0, y0);
        double b = hash(x0 + 1, y0);
        double c = hash(x0, y0 + 1);
        double d = hash(x0 + 1, y0 + 1);
        return (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy;
    }

    /** Fractal noise: octaves of value noise, in [0, 1). */
    double fractal(double x, double y, int octaves) {
        double sum = 0;
        double amp = 0.5;
        double norm = 0;
        for (int i = 0; i < octaves; i++) {
            sum += amp * value(x, y);
            norm += amp;
            x = x * 2.03 + 17.1;
            y = y * 2.03 + 5.3;
            amp *= 0.5;
        }
        return sum / norm;
    }
}
