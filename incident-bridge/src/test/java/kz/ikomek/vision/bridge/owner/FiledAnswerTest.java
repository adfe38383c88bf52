package kz.ikomek.vision.bridge.owner;

import static kz.ikomek.vision.bridge.Candidates.KABANBAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.Candidates;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.Test;

/**
 * The case system's answer may reach the owner before or after an operator confirms. Filed at detection, the
 * order must not decide a dispatch (it did: the cluster's second worker then showed DISPATCHED where the operator
 * had just confirmed, depending on timing); filed at confirmation, accepting dispatches.
 */
class FiledAnswerTest {

    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    /** One partition's incidents, applied as the owner applies its decisions. */
    static final class Partition implements IncidentLookup {
        final Map<String, StoredIncident> incidents = new HashMap<>();

        void apply(Decided<?> d) {
            d.changes().forEach(c -> incidents.put(c.next().id(), c.next()));
        }

        @Override
        public StoredIncident get(String id) {
            return incidents.get(id);
        }

        @Override
        public void forEachOpen(Consumer<StoredIncident> visitor) {
            incidents.values().stream().filter(s -> s.incident().state().isOpen()).forEach(visitor);
        }
    }

    static IncidentState afterConfirmThenAnswer(IncidentState submitAt) {
        Open311Options open311 = Open311Options.of(URI.create("http://cases.invalid/open311"), "k")
                .withSubmitAt(submitAt);
        IncidentDecider decider = new IncidentDecider(BridgeOptions.defaults(Path.of("unused")).withOpen311(open311));
        Partition p = new Partition();
        Decided<?> opened = decider.candidate(Candidates.of(IncidentType.SNOW, "cam-1", "road", KABANBAY, T0), T0, p);
        p.apply(opened);
        String id = opened.changes().get(0).next().id();
        p.apply(decider.act(id, IncidentAction.CONFIRM, "operator", "seen", T0.plusSeconds(1), p));
        p.apply(decider.filed(id, "SR-1", T0.plusSeconds(2), p));
        assertThat(p.get(id).incident().serviceRequestId()).isEqualTo("SR-1");
        return p.get(id).incident().state();
    }

    @Test
    void an_answer_to_a_filing_made_at_detection_leaves_a_later_confirmation_as_it_is() {
        assertThat(afterConfirmThenAnswer(IncidentState.DETECTED)).isEqualTo(IncidentState.CONFIRMED);
    }

    @Test
    void an_answer_to_a_filing_made_at_confirmation_dispatches() {
        assertThat(afterConfirmThenAnswer(IncidentState.CONFIRMED)).isEqualTo(IncidentState.DISPATCHED);
    }
}
