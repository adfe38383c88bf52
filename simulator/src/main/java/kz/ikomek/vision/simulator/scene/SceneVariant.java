package kz.ikomek.vision.simulator.scene;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a seed decides about one street: camera height and angle, road layout, colours,
 * light, buildings, traffic, and where the incident of each scenario happens. The same seed always
 * gives the same street, so a camera keeps its look across restarts and the dumped training frames
 * match what the live server shows.
 */
final class SceneVariant {

    static final int WIDTH = 640;
    static final int HEIGHT = 360;

    final long seed;
    final Lighting lighting;

    // Camera (pinhole with a shifted principal point: verticals stay vertical, like a pole camera image).
    final double camHeight;
    final double focal;
    final double horizonV;
    final double camX;
    final double cx;

    // Street layout across x (metres; 0 = centre of the carriageway).
    final int lanes;
    final double laneWidth;
    final double parkingWidth;
    final double roadLeft;
    final double roadRight;
    final double centreX;
    final double sidewalkWidth;
    final double setback;
    final boolean yellowCentre;
    final double crosswalkZ;
    final double[] asphalt;
    final double[] sidewalk;
    final double[] lawn;
    final double lampSpacing;
    final double lampPhase;
    final boolean lampsBothSides;
    final double[] lampLight;
    final List<Building> buildings = new ArrayList<>();
    final List<Car> cars = new ArrayList<>();
    final List<Car> parked = new ArrayList<>();

    // Where each scenario's condition appears.
    final double manholeX;
    final double manholeZ;
    final double floodX;
    final double floodZ;
    final double floodHalfWidth;
    final double floodHalfLength;
    final double pileX;
    final double pileZ;
    final double[] truckCab;
    final double[] truckBody;
    final double fogDistance;
    final double noiseSigma;
    final int cameraNumber;

    record Building(boolean left, double z0, double z1, double height, double[] colour, double floorHeight,
                    double windowPitch, double litShare, double[] glass, long windowSeed) {
    }

    record Car(int lane, boolean away, double speed, double phase, double length, double width, double height,
               double[] colour, boolean van, double parkedZ) {
    }

    SceneVariant(long seed) {
        this.seed = seed;
        this.cameraNumber = (int) Math.floorMod(seed, 100);
        SplittableRandom r = new SplittableRandom(seed * 7919 + 13);
        double l = r.nextDouble();
        lighting = l < 0.35 ? Lighting.DAY : l < 0.62 ? Lighting.OVERCAST : l < 0.80 ? Lighting.DUSK : Lighting.NIGHT;

        lanes = 2 + r.nextInt(3);
        laneWidth = 3.2 + r.nextDouble() * 0.5;
        parkingWidth = 2.4;
        double roadWidth = lanes * laneWidth + parkingWidth;
        roadLeft = -roadWidth / 2;
        roadRight = roadWidth / 2;
        centreX = roadLeft + (lanes / 2) * laneWidth;
        sidewalkWidth = 3 + r.nextDouble() * 3;
        setback = r.nextDouble() < 0.5 ? 0 : 2 + r.nextDouble() * 5;
        yellowCentre = r.nextDouble() < 0.35;

        camHeight = 6.5 + r.nextDouble() * 4.5;
        focal = 360 + r.nextDouble() * 120;
        horizonV = HEIGHT * (0.08 + r.nextDouble() * 0.2);
        camX = (r.nextDouble() * 2 - 1) * (roadWidth / 2 + sidewalkWidth * 0.6);
        double zMin = focal * camHeight / (HEIGHT - horizonV);
        // Aim across the street towards its centre, as a pole camera on the sidewalk would.
        cx = WIDTH / 2.0 + camX * focal / (zMin + 6) * 0.6 + (r.nextDouble() * 2 - 1) * 40;
        crosswalkZ = r.nextDouble() < 0.45 ? zMin + 14 + r.nextDouble() * 25 : -100;

        double g = 62 + r.nextDouble() * 35;
        asphalt = new double[] {g + 4, g + 2, g};
        double s = 135 + r.nextDouble() * 50;
        double warm = r.nextDouble() * 14;
        sidewalk = new double[] {s - warm, s - warm / 3, s};
        lawn = r.nextDouble() < 0.5 ? new double[] {55, 105, 80} : new double[] {70, 100, 110};
        lampSpacing = 24 + r.nextDouble() * 12;
        lampPhase = zMin + 4 + r.nextDouble() * lampSpacing;
        lampsBothSides = r.nextDouble() < 0.6;
        lampLight = r.nextDouble() < 0.5 ? new double[] {120, 190, 255} : new double[] {250, 245, 235};
        fogDistance = switch (lighting) {
            case DAY -> 420;
            case OVERCAST -> 190;
            case DUSK -> 260;
            case NIGHT -> 160;
        };
        noiseSigma = switch (lighting) {
            case DAY -> 2.5;
            case OVERCAST -> 3.0;
            case DUSK -> 4.0;
            case NIGHT -> 6.0;
        };

        double[][] facades = {
            {178, 196, 214}, {150, 160, 170}, {95, 110, 160}, {200, 205, 210}, {120, 150, 185},
            {170, 150, 120}, {140, 175, 200}, {110, 120, 130}, {190, 185, 175}, {80, 95, 140},
            {205, 190, 160}, {150, 170, 150}
        };
        for (int side = 0; side < 2; side++) {
            double z = 1 + r.nextDouble() * 10;
            while (z < 320) {
                double len = 14 + r.nextDouble() * 30;
                double h = 9 + r.nextDouble() * (r.nextDouble() < 0.3 ? 45 : 20);
                double[] c = facades[r.nextInt(facades.length)].clone();
                double jitter = r.nextDouble() * 20 - 10;
                for (int i = 0; i < 3; i++) {
                    c[i] += jitter;
                }
                double[] glass = r.nextDouble() < 0.5 ? new double[] {95, 80, 60} : new double[] {120, 115, 105};
                buildings.add(new Building(side == 0, z, z + len, h, c, 2.8 + r.nextDouble() * 0.5,
                        2.6 + r.nextDouble() * 1.4, 0.25 + r.nextDouble() * 0.5, glass, r.nextLong()));
                z += len + (r.nextDouble() < 0.35 ? 3 + r.nextDouble() * 10 : 0);
            }
        }

        double[][] paints = {
            {235, 235, 235}, {30, 30, 32}, {160, 160, 165}, {40, 40, 160}, {150, 80, 30}, {90, 90, 95},
            {200, 200, 205}, {40, 90, 40}, {20, 20, 20}, {120, 160, 200}, {60, 50, 110}, {225, 225, 225}
        };
        int moving = 4 + r.nextInt(5);
        for (int i = 0; i < moving; i++) {
            int lane = r.nextInt(lanes);
            boolean away = lane >= lanes / 2;
            boolean van = r.nextDouble() < 0.2;
            cars.add(new Car(lane, away, 7 + r.nextDouble() * 7, r.nextDouble() * 1000,
                    van ? 5.2 : 4.2 + r.nextDouble() * 0.6, van ? 2.0 : 1.75 + r.nextDouble() * 0.15,
                    van ? 2.2 : 1.4 + r.nextDouble() * 0.25, paints[r.nextInt(paints.length)], van, 0));
        }

        manholeZ = zMin + 1.5 + r.nextDouble() * 3.5;
        int manholeLane = r.nextInt(lanes);
        manholeX = clampIntoView(roadLeft + (manholeLane + 0.3 + r.nextDouble() * 0.4) * laneWidth, manholeZ, 0.8);
        floodZ = zMin + 6 + r.nextDouble() * 10;
        floodX = roadLeft + roadWidth * (0.3 + r.nextDouble() * 0.5);
        floodHalfWidth = roadWidth * (0.45 + r.nextDouble() * 0.3);
        floodHalfLength = 10 + r.nextDouble() * 12;
        pileX = roadRight - 1.1;
        double pz = zMin + 3.5 + r.nextDouble() * 5;
        while (project(pileX + 1.5, pz) > WIDTH - 40 || project(pileX - 1.5, pz) < 40) {
            pz += 2;
        }
        pileZ = pz;
        double[][] cabs = {{40, 110, 230}, {200, 200, 205}, {150, 80, 30}, {40, 40, 170}, {60, 150, 60}};
        truckCab = cabs[r.nextInt(cabs.length)];
        truckBody = r.nextDouble() < 0.5 ? new double[] {70, 80, 95} : new double[] {30, 120, 200};

        int parkedCount = 1 + r.nextInt(3);
        for (int i = 0; i < parkedCount; i++) {
            double z = zMin + 20 + i * 14 + r.nextDouble() * 8;
            if (Math.abs(z - pileZ) < 14) {
                z += 22;
            }
            parked.add(new Car(-1, true, 0, 0, 4.4, 1.8, 1.5, paints[r.nextInt(paints.length)], false, z));
        }
    }

    double zMin() {
        return focal * camHeight / (HEIGHT - horizonV);
    }

    /** Image column of a ground point. */
    double project(double x, double z) {
        return cx + focal * (x - camX) / z;
    }

    private double clampIntoView(double x, double z, double margin) {
        double leftX = camX + (60 - cx) * z / focal + margin;
        double rightX = camX + (WIDTH - 60 - cx) * z / focal - margin;
        double lo = Math.max(roadLeft + 0.8, leftX);
        double hi = Math.min(roadRight - parkingWidth - 0.8, rightX);
        return lo > hi ? (roadLeft + roadRight) / 2 : Math.max(lo, Math.min(hi, x));
    }

    double laneCentre(int lane) {
        return roadLeft + (lane + 0.5) * laneWidth;
    }
}
