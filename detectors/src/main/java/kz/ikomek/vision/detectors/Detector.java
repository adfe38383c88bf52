package kz.ikomek.vision.detectors;

import java.util.List;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.ingest.FrameSample;

/** One incident type. Stateless across frames: the trackers hold history. */
public interface Detector {

    IncidentType type();

    /** Scores every due zone of every sample that this detector reads. Does not close the samples. */
    List<Observation> detect(List<FrameSample> batch) throws DetectorException;
}
