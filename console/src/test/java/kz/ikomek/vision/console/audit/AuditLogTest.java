package kz.ikomek.vision.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private void writeThree() {
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            log.append("alice", "10.0.0.5", "login", "alice", "ok", "operator");
            log.append("alice", "10.0.0.5", "confirm", "inc-1", "ok", "PENDING_REVIEW -> CONFIRMED");
            log.append("bob", "10.0.0.6", "login", "bob", "bad_password", null);
        }
    }

    @Test
    void each_entry_links_to_the_previous_one_and_the_chain_verifies() {
        writeThree();
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            List<AuditEntry> newest = log.newest(0, 10);
            assertThat(newest).extracting(AuditEntry::seq).containsExactly(3L, 2L, 1L);
            assertThat(newest.get(2).prev()).isEqualTo(AuditLog.GENESIS);
            assertThat(newest.get(1).prev()).isEqualTo(newest.get(2).hash());
            assertThat(newest.get(0).prev()).isEqualTo(newest.get(1).hash());
            assertThat(log.verify()).isEqualTo(new AuditVerification(true, 3, 0, null));
        }
    }

    @Test
    void survives_a_restart_and_continues_the_same_chain() {
        writeThree();
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            AuditEntry fourth = log.append("carol", "10.0.0.7", "logout", "carol", "ok", null);
            assertThat(fourth.seq()).isEqualTo(4);
            assertThat(fourth.prev()).isEqualTo(log.newest(1, 1).get(0).hash());
            assertThat(log.verify().ok()).isTrue();
        }
    }

    @Test
    void an_edited_entry_is_reported_with_its_line() throws Exception {
        writeThree();
        Path file = dir.resolve("audit.jsonl");
        String text = Files.readString(file).replace("\"confirm\"", "\"reject\"");
        Files.writeString(file, text);
        AuditVerification v = AuditLog.verify(file);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadLine()).isEqualTo(2);
        assertThat(v.problem()).contains("hash");
    }

    @Test
    void a_deleted_entry_breaks_the_link_of_the_next_one() throws Exception {
        writeThree();
        Path file = dir.resolve("audit.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Files.write(file, lines);
        AuditVerification v = AuditLog.verify(file);
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadLine()).isEqualTo(2);
        assertThat(v.problem()).contains("prev");
    }

    @Test
    void a_torn_last_line_from_a_crash_is_dropped_on_open() throws Exception {
        writeThree();
        Path file = dir.resolve("audit.jsonl");
        Files.write(file, "{\"seq\":4,\"at\":\"2026-".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.size()).isEqualTo(3);
            log.append("dave", "10.0.0.8", "login", "dave", "ok", "admin");
            assertThat(log.verify()).isEqualTo(new AuditVerification(true, 4, 0, null));
        }
    }
}
