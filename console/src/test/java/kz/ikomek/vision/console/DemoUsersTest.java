package kz.ikomek.vision.console;

import static org.assertj.core.api.Assertions.assertThat;

import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.User;
import org.junit.jupiter.api.Test;

class DemoUsersTest {

    private final Passwords check = new Passwords(4);

    @Test
    void makes_one_user_per_role_named_after_it_with_the_given_password() {
        DemoUsers demo = DemoUsers.create("demo-password-1", "snow-removal", 4);
        assertThat(demo.generated()).isFalse();
        assertThat(demo.users()).extracting(User::username).containsExactly("operator", "police", "utility", "admin");
        assertThat(demo.users()).extracting(User::role).containsExactly(Role.values());
        assertThat(demo.users().get(2).service()).isEqualTo("snow-removal");
        assertThat(demo.users()).allMatch(u -> check.matches("demo-password-1", u.passwordHash()));
        assertThat(demo.toString()).doesNotContain("demo-password-1");
    }

    @Test
    void without_a_password_it_makes_up_a_random_one_to_print() {
        DemoUsers a = DemoUsers.create(null, "snow-removal", 4);
        DemoUsers b = DemoUsers.create("", "snow-removal", 4);
        assertThat(a.generated()).isTrue();
        assertThat(a.password()).hasSize(16).isNotEqualTo(b.password());
        assertThat(check.matches(a.password(), a.users().get(0).passwordHash())).isTrue();
    }
}
