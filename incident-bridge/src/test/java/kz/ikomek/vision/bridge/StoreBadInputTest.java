package kz.ikomek.vision.bridge;

import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStoreException;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBadInputTest {

    @TempDir
    Path dir;

    String storeWithOneIncident() {
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            return bridge.record(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY,
                    Instant.parse("2026-01-10T08:00:00Z"))).incident().id();
        }
    }

    @Test
    void a_store_of_another_schema_version_is_refused_and_left_untouched() {
        String id = storeWithOneIncident();
        try (BridgeStore store = BridgeStore.open(dir.resolve("db"))) {
            store.overwriteSchemaVersionForTest("99");
        }

        assertThatThrownBy(() -> IncidentBridge.open(BridgeOptions.defaults(dir)))
                .isInstanceOf(BridgeStoreException.class).isInstanceOf(BadInputException.class)
                .hasMessageContaining(dir.resolve("db").toString())
                .hasMessageContaining("schema version 99").hasMessageContaining("reads version 2");

        // Refused, not reset: the incident is still there for the right release to read.
        var families = new java.util.ArrayList<org.rocksdb.ColumnFamilyDescriptor>();
        for (String cf : java.util.List.of("default", "incidents", "dedup", "outbox", "evidence")) {
            families.add(new org.rocksdb.ColumnFamilyDescriptor(cf.getBytes(StandardCharsets.UTF_8)));
        }
        var handles = new java.util.ArrayList<org.rocksdb.ColumnFamilyHandle>();
        try (var db = org.rocksdb.RocksDB.openReadOnly(dir.resolve("db").toString(), families, handles)) {
            assertThat(db.get(handles.get(1), id.getBytes(StandardCharsets.UTF_8))).isNotNull();
            handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
        } catch (org.rocksdb.RocksDBException e) {
            throw new AssertionError(e);
        }
        assertThat(id).isNotBlank();
    }

    @Test
    void a_corrupt_store_is_refused_with_a_clear_error_not_replaced_by_an_empty_one() throws Exception {
        storeWithOneIncident();
        Path db = dir.resolve("db");
        try (Stream<Path> files = Files.list(db)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).toList()) {
                Files.writeString(f, "this is not a manifest", StandardCharsets.UTF_8);
            }
        }

        assertThatThrownBy(() -> IncidentBridge.open(BridgeOptions.defaults(dir)))
                .isInstanceOf(BridgeStoreException.class)
                .hasMessageContaining(db.toString()).hasMessageContaining("corrupt or unreadable")
                .hasMessageContaining("nothing was changed");
        try (Stream<Path> files = Files.list(db)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).toList())
                    .allSatisfy(f -> assertThat(Files.readString(f)).isEqualTo("this is not a manifest"));
        }
    }

    @Test
    void a_directory_that_is_not_a_store_is_refused() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/notes.txt"), "my holiday photos");

        assertThatThrownBy(() -> IncidentBridge.open(BridgeOptions.defaults(dir)))
                .isInstanceOf(BridgeStoreException.class).hasMessageContaining("not an incident store");
        assertThat(dir.resolve("db/notes.txt")).hasContent("my holiday photos");
    }

    @Test
    void evidence_with_a_wrong_sha256_is_refused() {
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            var good = Candidates.jpeg("x", Instant.EPOCH);
            var lying = new kz.ikomek.vision.detectors.Evidence("frame", "0".repeat(64), Instant.EPOCH, good.jpeg());
            var c = Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, Instant.EPOCH);
            var bad = new kz.ikomek.vision.detectors.Candidate(c.eventId(), c.cameraId(), c.zoneId(), c.type(),
                    c.place(), c.address(), c.firstSeen(), c.lastSeen(), c.bestScore(), java.util.List.of(lying));
            assertThatThrownBy(() -> bridge.record(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not match");
            assertThat(bridge.list(null, null)).isEmpty();
        }
    }

    @Test
    void a_version_1_store_moves_its_evidence_files_in_and_keeps_every_incident() throws Exception {
        String id = storeWithOneIncident();
        String sha;
        byte[] jpeg;
        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            sha = bridge.get(id).orElseThrow().evidence().get(0).sha256();
            jpeg = bridge.evidence(sha).orElseThrow();
        }
        // What version 1 left: the frame as a file beside the store, no 'frames' family, schema version 1.
        Path file = dir.resolve("evidence").resolve(sha.substring(0, 2)).resolve(sha.substring(2) + ".jpg");
        Files.createDirectories(file.getParent());
        Files.write(file, jpeg);
        var families = new java.util.ArrayList<org.rocksdb.ColumnFamilyDescriptor>();
        for (String cf : java.util.List.of("default", "incidents", "dedup", "outbox", "evidence", "frames")) {
            families.add(new org.rocksdb.ColumnFamilyDescriptor(cf.getBytes(StandardCharsets.UTF_8)));
        }
        var handles = new java.util.ArrayList<org.rocksdb.ColumnFamilyHandle>();
        try (var db = org.rocksdb.RocksDB.open(dir.resolve("db").toString(), families, handles)) {
            db.put(handles.get(0), "schema-version".getBytes(StandardCharsets.UTF_8),
                    "1".getBytes(StandardCharsets.UTF_8));
            db.dropColumnFamily(handles.get(5));
            handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
        }

        try (IncidentBridge bridge = IncidentBridge.open(BridgeOptions.defaults(dir))) {
            assertThat(bridge.get(id)).isPresent();
            assertThat(bridge.evidence(sha)).hasValueSatisfying(b -> assertThat(b).isEqualTo(jpeg));
        }
        assertThat(dir.resolve("evidence")).doesNotExist();
        try (BridgeStore store = BridgeStore.open(dir.resolve("db"))) {
            assertThat(store.legacy()).isFalse();
        }
    }
}
