package kz.ikomek.vision.benchmarks.jmh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kz.ikomek.vision.benchmarks.decode.DecodeBench;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.IncidentBridge;
import kz.ikomek.vision.bridge.Recorded;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.config.GeoPoint;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Durable writes per second, each on disk before the call returns.
 * <ul>
 *   <li>{@link #rocksDbWriteBatchSync}: the reference, raw RocksDB: one atomic WriteBatch of an incident-sized
 *   value and an outbox-entry-sized value, {@code sync=true}, one thread: what one synced write costs on this
 *   disk.</li>
 *   <li>{@link #bridgeRecord} (1 thread) and {@link #bridgeRecord4Threads}: {@code IncidentBridge.record} of
 *   candidates that each open a new incident at a new place with one new 24 KB frame: state, outbox and frame
 *   in one change through the bridge's group commit (callers waiting at the same time share one synced
 *   WriteBatch).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BridgeWriteBenchmark {

    private static final int FRAME_BYTES = 24 * 1024;
    private static final GeoPoint ORIGIN = new GeoPoint(51.1282, 71.4307);
    private static final IncidentType[] TYPES = {IncidentType.SNOW, IncidentType.FLOOD, IncidentType.OPEN_MANHOLE};

    /** A bare RocksDB in a temporary directory. */
    @State(Scope.Benchmark)
    public static class RawStore {
        Path dir;
        Options options;
        RocksDB db;
        WriteOptions sync;
        final AtomicLong next = new AtomicLong();
        final byte[] incident = new byte[1024];
        final byte[] outbox = new byte[256];

        @Setup(Level.Trial)
        public void open() throws Exception {
            RocksDB.loadLibrary();
            dir = Files.createTempDirectory("jmh-rocksdb");
            new SplittableRandom(1).nextBytes(incident);
            options = new Options().setCreateIfMissing(true);
            db = RocksDB.open(options, dir.toString());
            sync = new WriteOptions().setSync(true);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            sync.close();
            db.close();
            options.close();
            DecodeBench.deleteAll(dir);
        }
    }

    /** An incident bridge with the production defaults (no delivery channels) in a temporary directory. */
    @State(Scope.Benchmark)
    public static class Bridge {
        Path dir;
        IncidentBridge bridge;
        final AtomicLong places = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Files.createTempDirectory("jmh-bridge");
            bridge = IncidentBridge.open(BridgeOptions.defaults(dir));
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            bridge.close();
            DecodeBench.deleteAll(dir);
        }
    }

    /** One camera's stream of candidates: every one a new place (beyond the merge radius) and a new frame. */
    @State(Scope.Thread)
    public static class Camera {
        final byte[] frame = new byte[FRAME_BYTES];
        final Instant start = Instant.parse("2026-01-10T06:00:00Z");

        @Setup(Level.Trial)
        public void frame() {
            new SplittableRandom(Thread.currentThread().getId()).nextBytes(frame);
            frame[0] = (byte) 0xFF;   // a JPEG's first bytes
            frame[1] = (byte) 0xD8;
        }

        Candidate next(Bridge b) {
            long place = b.places.getAndIncrement();
            ByteBuffer.wrap(frame).putLong(8, place);          // new bytes, new SHA-256: a new frame to store
            Instant at = start.plusSeconds(place);
            GeoPoint where = new GeoPoint(ORIGIN.lat() + (place % 1000) * 200 / 111_195.0,
                    ORIGIN.lon() + (place / 1000) * 320 / 111_195.0);
            String camera = "cam-" + place;
            return new Candidate(camera + "/road", camera, "road", TYPES[(int) (place % TYPES.length)], where,
                    "street " + place, at, at, 0.9,
                    List.of(new Evidence("frame", EvidenceFiles.sha256(frame), at, frame.clone())));
        }
    }

    @Benchmark
    @Threads(1)
    public void rocksDbWriteBatchSync(RawStore s) throws RocksDBException {
        long n = s.next.getAndIncrement();
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(("incident-" + n).getBytes(StandardCharsets.UTF_8), s.incident);
            batch.put(("outbox-" + n).getBytes(StandardCharsets.UTF_8), s.outbox);
            s.db.write(s.sync, batch);
        }
    }

    @Benchmark
    @Threads(1)
    public Recorded bridgeRecord(Bridge b, Camera c) {
        return b.bridge.record(c.next(b));
    }

    @Benchmark
    @Threads(4)
    public Recorded bridgeRecord4Threads(Bridge b, Camera c) {
        return b.bridge.record(c.next(b));
    }
}
