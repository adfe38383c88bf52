package kz.ikomek.vision.simulator;

import kz.ikomek.vision.simulator.scene.Scenario;

/** What one simulated camera shows: a scenario on the street drawn from a seed. */
public record CameraSpec(int number, Scenario scenario, long seed) {
}
