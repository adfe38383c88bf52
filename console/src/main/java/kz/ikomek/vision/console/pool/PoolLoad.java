package kz.ikomek.vision.console.pool;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** A snapshot of a {@link WorkerPool}: tasks waiting for a thread, tasks running, and the oldest one's wait. */
public record PoolLoad(String name, int threads, int waiting, int running, Duration oldestWait) {

    public JsonObject toJson() {
        return new JsonObject().put("threads", threads).put("waiting", waiting).put("running", running)
                .put("oldestWaitMs", oldestWait.toMillis());
    }
}
