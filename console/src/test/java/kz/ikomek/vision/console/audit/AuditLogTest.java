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
    void cutting_the_newest_lines_off_is_found_at_open_against_the_pin() throws Exception {
        writeThree();
        Path file = dir.resolve("audit.jsonl");
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 2));
        assertThat(AuditLog.verify(file).ok()).as("the cut file alone still chains").isTrue();
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.findings()).singleElement().extracting(AuditFinding::problem).asString()
                    .startsWith("truncated: the file ends at entry 2 but 3 entries were written");
            assertThat(log.newest(0, 1).get(0).outcome()).isEqualTo("tampered");
        }
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.findings()).as("kept, and not repeated").hasSize(1);
        }
    }

    @Test
    void a_rewritten_and_rehashed_log_fails_without_the_key() throws Exception {
        writeThree();
        Path file = dir.resolve("audit.jsonl");
        // What an editor without the key can do: change a line and re-hash the rest with plain SHA-256.
        Tampering.rewriteAndRehash(file, "bad_password", "ok");
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.findings()).extracting(AuditFinding::problem)
                    .anySatisfy(p -> assertThat(p).startsWith("the chain breaks at line 1"))
                    .anySatisfy(p -> assertThat(p).startsWith("rewritten: entry 3"));
        }
    }

    @Test
    void a_page_is_checked_without_the_whole_file_and_a_change_behind_the_back_is_reported() throws Exception {
        writeThree();
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.verifyPage(0, 2)).isEqualTo(new AuditVerification(true, 2, 0, null));
            Path file = dir.resolve("audit.jsonl");
            List<String> lines = Files.readAllLines(file);
            Files.write(file, lines.subList(0, 2));
            AuditVerification v = log.verifyPage(0, 2);
            assertThat(v.ok()).isFalse();
            assertThat(v.problem()).contains("changed behind the console");
            assertThat(log.findings()).hasSize(1);
        }
    }

    @Test
    void a_log_from_before_pinning_is_taken_over_as_it_is_and_continued_with_the_key() throws Exception {
        writeThree();
        Path file = dir.resolve("audit.jsonl");
        // The format written before keys and pins existed: plain SHA-256, nothing beside the file.
        Tampering.rewriteAndRehash(file, "\"unused\"", "\"unused\"");
        Files.delete(dir.resolve("audit.key"));
        try (var pins = Files.walk(dir.resolve("audit-pin"))) {
            pins.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.findings()).isEmpty();
            log.append("erin", "10.0.0.9", "login", "erin", "ok", "admin");
            assertThat(log.verify()).isEqualTo(new AuditVerification(true, 4, 0, null));
        }
        try (AuditLog log = AuditLog.open(dir, CLOCK)) {
            assertThat(log.findings()).isEmpty();
            assertThat(log.atOpen().ok()).isTrue();
        }
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
