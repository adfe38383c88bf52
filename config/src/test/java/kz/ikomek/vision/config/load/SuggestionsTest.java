package kz.ikomek.vision.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> DETECTORS = List.of("snow", "flood", "open_manhole", "dumping");

    @Test
    void edit_distance_counts_insertions_deletions_and_substitutions() {
        assertThat(Suggestions.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.levenshtein("", "abc")).isEqualTo(3);
        assertThat(Suggestions.levenshtein("same", "same")).isZero();
    }

    @Test
    void a_typo_gets_the_closest_name() {
        assertThat(Suggestions.closest("open_manhol", DETECTORS)).hasValue("open_manhole");
        assertThat(Suggestions.closest("Flod", DETECTORS)).hasValue("flood");
        assertThat(Suggestions.closest("graffiti", DETECTORS)).isEmpty();
    }
}
