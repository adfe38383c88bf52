package kz.ikomek.vision.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.config.ConsoleConfig;
import kz.ikomek.vision.config.Secret;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.auth.UsersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleOptionsTest {

    @TempDir
    Path dir;

    private final String hash = new Passwords(4).hash("a-long-password");

    private ConsoleConfig config(Optional<Path> usersFile) {
        return new ConsoleConfig("0.0.0.0", 8443,
                List.of(new ConsoleConfig.User("snow1", ConsoleConfig.Role.UTILITY, Optional.of("snow-removal"), Secret.of(hash))),
                usersFile, Duration.ofMinutes(10), Duration.ofHours(8), true, Set.of("https://console.ikomek.kz"),
                Set.of("vision.ikomek.kz"));
    }

    @Test
    void takes_inline_users_and_the_users_file_and_every_setting() {
        Path file = dir.resolve("users.json");
        UsersFile.put(file, new User("aliya", Role.OPERATOR, null, hash));
        ConsoleOptions o = ConsoleOptions.from(config(Optional.of(file)), dir.resolve("audit"));
        assertThat(o.users()).extracting(User::username).containsExactly("snow1", "aliya");
        assertThat(o.users().get(0).role()).isEqualTo(Role.UTILITY);
        assertThat(o.users().get(0).service()).isEqualTo("snow-removal");
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(8443);
        assertThat(o.secureCookies()).isTrue();
        assertThat(o.extraOrigins()).containsExactly("https://console.ikomek.kz");
        assertThat(o.sessionIdle()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.sessionMax()).isEqualTo(Duration.ofHours(8));
        assertThat(o.allowedHosts()).containsExactly("vision.ikomek.kz");
    }

    @Test
    void a_user_in_both_places_is_an_error_naming_it() {
        Path file = dir.resolve("users.json");
        UsersFile.put(file, new User("snow1", Role.UTILITY, "snow-removal", hash));
        assertThatThrownBy(() -> ConsoleOptions.from(config(Optional.of(file)), dir))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'snow1'").hasMessageContaining("usersFile");
    }
}
