package kz.ikomek.vision.app.standalone;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kz.ikomek.vision.bridge.cluster.ClusterBridge;
import kz.ikomek.vision.bridge.cluster.ClusterBridgeOptions;
import kz.ikomek.vision.bridge.partition.DedupGroups;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.ingest.cluster.ClusterException;
import kz.ikomek.vision.ingest.cluster.WorkerId;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A worker's incident side in cluster mode: the bridge's partition owner and read model ({@link ClusterBridge}),
 * keyed by the dedup groups of the registry's places, with the same dedup and delivery settings as standalone.
 */
final class ClusterIncidents {

    /** Replicas of the topics the bridge creates: three where the cluster has them, fewer on a trial broker. */
    private static final int WANTED_REPLICAS = 3;

    private ClusterIncidents() {
    }

    static ClusterBridge start(VisionConfig config, Path dir, WorkerId worker) {
        ClusterConfig cluster = config.cluster().orElseThrow();
        Map<String, GeoPoint> places = new LinkedHashMap<>();
        for (CameraConfig c : config.cameras()) {
            places.put(c.id(), c.location().point());
        }
        Map<String, String> properties = new HashMap<>();
        cluster.clientProperties().forEach((k, v) -> properties.put(k, String.valueOf(v)));
        return ClusterBridge.start(new ClusterBridgeOptions(cluster.kafka(), properties, cluster.group(),
                cluster.partitions(), replicas(cluster, worker), ConfigMapping.bridgeOptions(config, dir),
                DedupGroups.of(places, config.incidents().mergeRadiusMeters()), worker.id()));
    }

    private static short replicas(ClusterConfig cluster, WorkerId worker) {
        Map<String, Object> p = new HashMap<>(cluster.clientProperties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, worker.id() + "-admin");
        try (Admin admin = Admin.create(p)) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            return (short) Math.min(WANTED_REPLICAS, brokers);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ClusterException("cannot reach the Kafka cluster at " + cluster.kafka() + " (cluster.kafka): "
                    + e + "; is the broker running and the address right?");
        }
    }
}
