package kz.ikomek.vision.console.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import kz.ikomek.vision.config.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    @TempDir
    Path dir;

    private final Passwords passwords = new Passwords(4);

    @Test
    void adds_replaces_and_reads_back_users_with_owner_only_permissions() throws Exception {
        Path file = dir.resolve("users.json");
        UsersFile.put(file, new User("aliya", Role.OPERATOR, null, passwords.hash("correct horse")));
        UsersFile.put(file, new User("snow1", Role.UTILITY, "snow-removal", passwords.hash("battery staple")));
        UsersFile.put(file, new User("aliya", Role.ADMIN, null, passwords.hash("new password")));
        var users = UsersFile.load(file);
        assertThat(users).extracting(User::username).containsExactly("aliya", "snow1");
        assertThat(users.get(0).role()).isEqualTo(Role.ADMIN);
        assertThat(passwords.matches("new password", users.get(0).passwordHash())).isTrue();
        assertThat(passwords.matches("correct horse", users.get(0).passwordHash())).isFalse();
        assertThat(users.get(1).service()).isEqualTo("snow-removal");
        assertThat(Files.readString(file)).doesNotContain("battery staple");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void names_the_entry_and_field_that_is_wrong() throws Exception {
        Path file = dir.resolve("users.json");
        Files.writeString(file, "{\"users\": [{\"username\": \"x\", \"role\": \"chief\", \"passwordHash\": \"$2a$04$abc\"}]}");
        assertThatThrownBy(() -> UsersFile.load(file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("users[0].role").hasMessageContaining("chief").hasMessageContaining("operator");
        Files.writeString(file, "{\"users\": [{\"username\": \"u\", \"role\": \"utility\", \"passwordHash\": \"$2a$04$abc\"}]}");
        assertThatThrownBy(() -> UsersFile.load(file)).hasMessageContaining("users[0].service");
        Files.writeString(file, "{\"users\": [");
        assertThatThrownBy(() -> UsersFile.load(file)).hasMessageContaining("not valid JSON");
    }

    @Test
    void refuses_short_passwords_and_ones_bcrypt_would_truncate() {
        assertThatThrownBy(() -> passwords.hash("short")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> passwords.hash("x".repeat(73))).hasMessageContaining("72 bytes");
    }
}
