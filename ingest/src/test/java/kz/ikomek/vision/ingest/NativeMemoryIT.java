package kz.ikomek.vision.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 connect / first-frame / disconnect cycles through the real session code on a local H.264
 * file must not grow native memory or threads (JavaCV's grabber has a history of both).
 * Heap is fixed and pre-touched by the failsafe argLine, so resident memory measures native memory.
 */
@Tag("integration")
class NativeMemoryIT {

    private static final int WARMUP = 100;
    private static final int CYCLES = 1000;

    @TempDir
    Path dir;

    @Test
    void a_thousand_connect_disconnect_cycles_leave_native_memory_and_threads_flat() throws Exception {
        Path video = dir.resolve("cam.mp4");
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=10",
                "-t", "3", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p", video.toString()).inheritIO().start();
        assertThat(ff.waitFor()).isZero();
        assertThat(Files.size(video)).isPositive();

        IngestOptions options = IngestOptions.defaults().withPaceFiles(false);
        try (IngestService ingest = new IngestService(options)) {
            cycles(ingest, video, WARMUP);
            Snapshot before = Snapshot.take();
            long start = System.nanoTime();
            StringBuilder curve = new StringBuilder();
            Snapshot half = null;
            for (int quarter = 1; quarter <= 4; quarter++) {
                cycles(ingest, video, CYCLES / 4);
                Snapshot s = Snapshot.take();
                curve.append(quarter == 1 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.1f", s.physical / 1048576.0));
                if (quarter == 2) {
                    half = s;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Snapshot after = Snapshot.take();
            Await.until("session threads gone", Duration.ofSeconds(10), () -> Snapshot.liveThreads() <= before.threads);
            after = new Snapshot(after.physical, after.javacpp, Snapshot.liveThreads());
            String report = String.format(java.util.Locale.ROOT,
                    "{\"cycles\": %d, \"seconds\": %.1f, \"rssBeforeMiB\": %.1f, \"rssAfterMiB\": %.1f, \"rssGrowthKiBPerCycle\": %.2f,"
                            + " \"javacppBytesBefore\": %d, \"javacppBytesAfter\": %d, \"threadsBefore\": %d, \"threadsAfter\": %d, \"rssMiBEvery250\": [%s]}",
                    CYCLES, seconds, before.physical / 1048576.0, after.physical / 1048576.0,
                    (after.physical - before.physical) / 1024.0 / CYCLES, before.javacpp, after.javacpp, before.threads, after.threads, curve);
            System.out.println("native-memory " + report);
            Files.writeString(Path.of("target", "native-memory.json"), report + "\n");
            // A leaked decoder context or frame is hundreds of KiB per cycle; allow allocator noise only,
            // and the second 500 cycles must grow less than the first (settling, not a steady leak).
            assertThat(after.physical - before.physical).as(report).isLessThan(24L * 1024 * 1024);
            assertThat(after.physical - half.physical).as(report).isLessThan(8L * 1024 * 1024);
            assertThat(after.javacpp - before.javacpp).as(report).isLessThan(1024L * 1024);
            assertThat(after.threads).as(report).isLessThanOrEqualTo(before.threads);
        }
    }

    private static void cycles(IngestService ingest, Path video, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String id = "cycle-" + i;
            ingest.add(new CameraSource(id, video.toString(), null, Map.of("road", Duration.ofSeconds(1))));
            List<FrameSample> got = ingest.ready().take(1, Duration.ofSeconds(10));
            assertThat(got).as("first frame of cycle %d", i).hasSize(1);
            got.forEach(FrameSample::close);
            assertThat(ingest.removeAndWait(id, Duration.ofSeconds(10))).isTrue();
        }
    }

    private record Snapshot(long physical, long javacpp, int threads) {
        static Snapshot take() {
            System.gc();
            Pointer.deallocateReferences();   // free now what the GC found unreachable
            return new Snapshot(Pointer.physicalBytes(), Pointer.totalBytes(), liveThreads());
        }

        static int liveThreads() {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        }
    }
}
