package kz.ikomek.vision.app.standalone;

import java.time.Duration;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.detectors.pipeline.DetectionPipeline;
import kz.ikomek.vision.ingest.IngestService;
import kz.ikomek.vision.ingest.cluster.CameraGroup;
import kz.ikomek.vision.ingest.cluster.CameraTopic;
import kz.ikomek.vision.ingest.cluster.ClusterException;
import kz.ikomek.vision.ingest.cluster.WorkerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's cameras in cluster mode: publishes the config's cameras to the camera topic (only what changed), then
 * joins the camera group and starts and stops camera sessions (ingest) and their zones (detectors) as the group
 * assigns and revokes partitions.
 */
final class ClusterCameras implements CameraGroup.Cameras {

    private static final Logger log = LoggerFactory.getLogger(ClusterCameras.class);
    /** A stopping session may sit in a native read for up to the read timeout; do not hold a rebalance longer. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final VisionConfig config;
    private final DetectionPipeline pipeline;
    private final IngestService ingest;

    private ClusterCameras(VisionConfig config, DetectionPipeline pipeline, IngestService ingest) {
        this.config = config;
        this.pipeline = pipeline;
        this.ingest = ingest;
    }

    /**
     * @throws ClusterException the brokers cannot be reached, or the camera topic disagrees with the config
     */
    static CameraGroup join(VisionConfig config, WorkerId worker, DetectionPipeline pipeline, IngestService ingest) {
        ClusterConfig cluster = config.cluster().orElseThrow();
        CameraTopic.ensure(cluster, worker.id() + "-admin");
        CameraTopic.Published p = CameraTopic.publish(cluster, worker.id(), config.cameras());
        log.atInfo().addKeyValue("worker", worker.id()).log("published {} cameras to {}: {} added, {} changed, {} "
                + "removed, {} unchanged", config.cameras().size(), cluster.camerasTopic(), p.added(), p.changed(),
                p.removed(), p.unchanged());
        return CameraGroup.join(cluster, worker, new ClusterCameras(config, pipeline, ingest));
    }

    @Override
    public void run(CameraConfig camera) {
        pipeline.putSite(ConfigMapping.cameraSite(camera));
        awaitStopped(camera.id()); // an edit: the old session first
        ingest.add(ConfigMapping.cameraSource(camera, config));
    }

    @Override
    public void stop(String cameraId) {
        awaitStopped(cameraId);
        pipeline.removeSite(cameraId);
    }

    private void awaitStopped(String cameraId) {
        try {
            if (!ingest.removeAndWait(cameraId, STOP_WAIT)) {
                log.atWarn().addKeyValue("camera", cameraId).log("session still in a native read after {} s; its "
                        + "frames are dropped", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
