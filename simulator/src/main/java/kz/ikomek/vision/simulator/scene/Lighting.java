package kz.ikomek.vision.simulator.scene;

/** Time of day and weather light; every scenario is rendered under each so detectors cannot key on the sky. */
public enum Lighting {
    DAY(1.0, new double[] {1.0, 1.0, 1.0}, new double[] {200, 140, 85}, new double[] {232, 215, 195}),
    OVERCAST(0.82, new double[] {1.0, 1.0, 1.02}, new double[] {168, 162, 158}, new double[] {208, 205, 203}),
    DUSK(0.68, new double[] {0.85, 0.95, 1.15}, new double[] {105, 60, 45}, new double[] {120, 160, 235}),
    NIGHT(0.4, new double[] {1.1, 1.0, 0.95}, new double[] {28, 16, 10}, new double[] {62, 55, 60});

    /** Ambient light level multiplying every surface (after the camera's auto exposure: night is gained up, noisier). */
    final double ambient;
    /** BGR tint of the ambient light. */
    final double[] tint;
    /** BGR sky colour at the zenith and at the horizon. */
    final double[] skyTop;
    final double[] skyHorizon;

    Lighting(double ambient, double[] tint, double[] skyTop, double[] skyHorizon) {
        this.ambient = ambient;
        this.tint = tint;
        this.skyTop = skyTop;
        this.skyHorizon = skyHorizon;
    }

    boolean lampsOn() {
        return this == NIGHT || this == DUSK;
    }
}
