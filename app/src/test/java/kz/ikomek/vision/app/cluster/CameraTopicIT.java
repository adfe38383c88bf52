package kz.ikomek.vision.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import kz.ikomek.vision.app.MainAccess;
import kz.ikomek.vision.bridge.kafka.LocalKafkaBroker;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.ingest.cluster.CameraGroup;
import kz.ikomek.vision.ingest.cluster.CameraTopic;
import kz.ikomek.vision.ingest.cluster.WorkerId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera topic and the camera group against a real broker, without video: publishing is idempotent and turns a
 * removed camera into a tombstone; a member runs what its partitions hold and follows edits and removals live;
 * {@code cluster status} prints the assignment, or names the address it cannot reach.
 */
@Tag("integration")
class CameraTopicIT {

    @TempDir
    static Path dir;
    static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static VisionConfig config(String group, String... cameras) throws Exception {
        StringBuilder y = new StringBuilder("cameras:\n");
        for (String c : cameras) {
            String[] idAndUrl = c.split("=");
            y.append("  - { id: ").append(idAndUrl[0]).append(", url: \"").append(idAndUrl[1])
                    .append("\", location: { lat: 51.1, lon: 71.4, address: \"Turan Ave 1\" } }\n");
        }
        y.append("cluster: { kafka: \"").append(broker.bootstrap()).append("\", group: ").append(group)
                .append(", camerasTopic: cams-").append(group).append(", partitions: 4 }\n");
        Path file = dir.resolve(group + "-" + System.nanoTime() + ".yaml");
        Files.writeString(file, y.toString());
        return ConfigLoader.load(file);
    }

    @Test
    void publishing_writes_only_what_changed_and_a_removed_camera_becomes_a_tombstone() throws Exception {
        VisionConfig first = config("publish", "cam-1=rtsp://10.0.0.1/a", "cam-2=rtsp://10.0.0.2/a", "cam-3=rtsp://10.0.0.3/a");
        ClusterConfig cluster = first.cluster().orElseThrow();
        CameraTopic.ensure(cluster, "it");
        assertThat(CameraTopic.publish(cluster, "it", first.cameras())).isEqualTo(new CameraTopic.Published(3, 0, 0, 0));
        assertThat(CameraTopic.publish(cluster, "it", first.cameras())).isEqualTo(new CameraTopic.Published(0, 0, 0, 3));

        VisionConfig second = config("publish", "cam-1=rtsp://10.0.0.1/a", "cam-2=rtsp://10.0.0.2/b");
        assertThat(CameraTopic.publish(cluster, "it", second.cameras())).isEqualTo(new CameraTopic.Published(0, 1, 1, 1));
        assertThat(CameraTopic.read(cluster, "it")).containsOnlyKeys("cam-1", "cam-2");
        assertThat(CameraTopic.publish(cluster, "it", List.of())).as("a worker with no cameras only joins")
                .isEqualTo(new CameraTopic.Published(0, 0, 0, 0));
        assertThat(CameraTopic.read(cluster, "it")).containsOnlyKeys("cam-1", "cam-2");
    }

    @Test
    void a_member_runs_its_cameras_and_follows_edits_and_removals_live() throws Exception {
        VisionConfig v1 = config("live", "cam-1=rtsp://10.0.0.1/a", "cam-2=rtsp://10.0.0.2/a");
        ClusterConfig cluster = v1.cluster().orElseThrow();
        CameraTopic.ensure(cluster, "it");
        CameraTopic.publish(cluster, "it", v1.cameras());
        Recorder recorder = new Recorder();
        List<String> calls = recorder.calls;
        try (CameraGroup group = CameraGroup.join(cluster, WorkerId.ofThisProcess(), recorder)) {
            await(() -> group.running().keySet().equals(java.util.Set.of("cam-1", "cam-2")));
            assertThat(calls).containsExactlyInAnyOrder("run cam-1 rtsp://10.0.0.1/a", "run cam-2 rtsp://10.0.0.2/a");

            CameraTopic.publish(cluster, "it", config("live", "cam-1=rtsp://10.0.0.1/b").cameras());
            await(() -> group.running().keySet().equals(java.util.Set.of("cam-1")));
            assertThat(calls.subList(2, calls.size())).containsExactlyInAnyOrder("run cam-1 rtsp://10.0.0.1/b", "stop cam-2");
        }
        assertThat(calls).last().isEqualTo("stop cam-1");
    }

    @Test
    void cluster_status_prints_the_assignment_as_json() throws Exception {
        VisionConfig v = config("status", "cam-1=rtsp://10.0.0.1/a", "cam-2=rtsp://10.0.0.2/a");
        ClusterConfig cluster = v.cluster().orElseThrow();
        CameraTopic.ensure(cluster, "it");
        CameraTopic.publish(cluster, "it", v.cameras());
        WorkerId me = WorkerId.ofThisProcess();
        Path file = dir.resolve("status.yaml");
        Files.writeString(file, "cameras: []\ncluster: { kafka: \"" + broker.bootstrap() + "\", group: status, "
                + "camerasTopic: cams-status, partitions: 4 }\n");
        try (CameraGroup group = CameraGroup.join(cluster, me, new Recorder())) {
            await(() -> group.running().size() == 2);
            String[] outErr = new String[2];
            assertThat(MainAccess.run(outErr, "cluster", "status", "--config", file.toString())).isZero();
            assertThat(outErr[0].strip()).isEqualTo("{\"workers\":[{\"id\":\"" + me.id() + "\",\"host\":\"" + me.host()
                    + "\",\"cameras\":[\"cam-1\",\"cam-2\"]}],\"unassigned\":[]}");
        }
    }

    @Test
    void cluster_status_names_the_address_it_cannot_reach_and_exits_1() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path file = dir.resolve("away.yaml");
        Files.writeString(file, "cameras: []\ncluster: { kafka: \"127.0.0.1:" + closed + "\" }\n");
        String[] outErr = new String[2];
        assertThat(MainAccess.run(outErr, "cluster", "status", "--config", file.toString())).isEqualTo(1);
        assertThat(outErr[0]).isEmpty();
        assertThat(outErr[1].strip()).isEqualTo("error: cannot reach the Kafka cluster at 127.0.0.1:" + closed
                + " (cluster.kafka): no broker answered in time; is the broker running and the address right?");
    }

    /** What a worker would do with its cameras, written down. */
    static final class Recorder implements CameraGroup.Cameras {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void run(CameraConfig camera) {
            calls.add("run " + camera.id() + " " + camera.url());
        }

        @Override
        public void stop(String cameraId) {
            calls.add("stop " + cameraId);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
