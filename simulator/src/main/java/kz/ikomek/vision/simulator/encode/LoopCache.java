package kz.ikomek.vision.simulator.encode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import kz.ikomek.vision.simulator.scene.Scenario;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoded loops kept on disk between runs: rendering and encoding a 60 s loop costs tens of CPU
 * seconds, so a restart (or the next test) reads the H.264 bytes back instead. The file name holds
 * everything the bytes depend on, including {@link #RENDERER_VERSION}; bump it when the renderer
 * changes the picture.
 */
public final class LoopCache {
    private static final Logger log = LoggerFactory.getLogger(LoopCache.class);

    /** Part of every cache key: change when StreetScene output changes. */
    public static final int RENDERER_VERSION = 6;

    private final Path dir;

    public LoopCache(Path dir) {
        this.dir = dir;
    }

    /** The default place: {@code $XDG_CACHE_HOME} or {@code ~/.cache}, under ikomek-vision/simulator. */
    public static LoopCache defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new LoopCache(base.resolve("ikomek-vision").resolve("simulator"));
    }

    public VideoLoop load(Scenario scenario, long seed, double seconds, int fps, int gop) {
        String codec = LoopEncoder.encoderName();
        Path file = dir.resolve(String.format("v%d-%s-s%d-%ds-%dfps-g%d-%s.h264", RENDERER_VERSION, scenario.wireName(),
                seed, Math.round(seconds), fps, gop, codec));
        if (Files.isRegularFile(file)) {
            try {
                return VideoLoop.parse(scenario, seed, fps, codec, Files.readAllBytes(file));
            } catch (IOException | IllegalStateException e) {
                log.warn("ignoring unreadable cached loop {}: {}", file, e.toString());
            }
        }
        byte[] stream = LoopEncoder.encodeAnnexB(scenario, seed, seconds, fps, gop);
        VideoLoop loop = VideoLoop.parse(scenario, seed, fps, codec, stream);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "loop", ".tmp");
            Files.write(tmp, stream);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot cache encoded loop in {}: {}", dir, e.toString());
        }
        return loop;
    }
}
