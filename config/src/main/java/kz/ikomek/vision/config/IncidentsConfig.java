package kz.ikomek.vision.config;

import java.time.Duration;

/**
 * Deduplication: observations of one type within {@code mergeRadiusMeters} of an open incident join
 * it; a resolved incident re-opens only after {@code cooldown}; a rejected one suppresses its key
 * for {@code rejectSuppression}; dumping events in one zone within {@code dumpingMergeWindow} are one.
 */
public record IncidentsConfig(double mergeRadiusMeters, Duration cooldown, Duration rejectSuppression,
                              Duration dumpingMergeWindow) {
}
