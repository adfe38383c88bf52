package kz.ikomek.vision.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsernamesTest {

    @Test
    void a_lookalike_name_is_shown_escaped_and_a_plain_one_as_it_is() {
        assertThat(Usernames.escaped("\u0430dmin")).isEqualTo("\\u0430dmin");
        assertThat(Usernames.escaped("admin\u200b")).isEqualTo("admin\\u200b");
        assertThat(Usernames.escaped("admin ")).isEqualTo("admin\\u0020");
        assertThat(Usernames.escaped("a\\u0061")).isEqualTo("a\\u005cu0061");
        assertThat(Usernames.escaped("k.serik")).isEqualTo("k.serik");
    }
}
