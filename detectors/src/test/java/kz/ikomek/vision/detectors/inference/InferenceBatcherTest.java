package kz.ikomek.vision.detectors.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kz.ikomek.vision.detectors.TestModels;
import kz.ikomek.vision.detectors.model.ModelCatalog;
import kz.ikomek.vision.detectors.model.ModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batcher on the tiny colour-rule test model (real ONNX Runtime). */
class InferenceBatcherTest {

    static OnnxModel model;

    @BeforeAll
    static void load() {
        ModelFile tiny = ModelCatalog.fromDirectory(TestModels.dir()).stream()
                .filter(m -> m.card().name().equals("tiny")).findFirst().orElseThrow();
        model = new OnnxModel(tiny, new InferenceSettings(1, 16, Duration.ofMillis(50)));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] crop(float value) {
        float[] t = new float[model.card().input().valuesPerItem()];
        Arrays.fill(t, value);
        return t;
    }

    @Test
    void a_crop_that_must_not_wait_runs_in_the_callers_thread_when_the_batcher_is_idle() throws Exception {
        try (InferenceBatcher b = new InferenceBatcher(model, 16, Duration.ofMillis(50))) {
            CompletableFuture<InferenceBatcher.ItemOutput> f = b.submit(crop(0.9f), false);
            assertThat(f).as("answered before submit returned").isDone();
            assertThat(f.get().values()).hasSize(4);
            assertThat(b.meanBatchSize()).isEqualTo(1.0);
        }
    }

    @Test
    void crops_that_may_wait_are_batched_and_get_the_same_answers_as_one_by_one() throws Exception {
        try (InferenceBatcher b = new InferenceBatcher(model, 16, Duration.ofMillis(200))) {
            float[] alone = b.submit(crop(0.2f), false).get().values();
            List<CompletableFuture<InferenceBatcher.ItemOutput>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(b.submit(crop(i % 2 == 0 ? 0.2f : 0.8f), true));
            }
            for (int i = 0; i < 8; i += 2) {
                assertThat(fs.get(i).get().values()).containsExactly(alone);
            }
            assertThat(b.meanBatchSize()).as("one alone, then 8 in one or two calls").isGreaterThan(2.5);
        }
    }
}
