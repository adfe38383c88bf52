package kz.ikomek.vision.bridge.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.IllegalTransitionException;
import kz.ikomek.vision.bridge.IncidentNotFoundException;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.dedup.DedupEntry;
import kz.ikomek.vision.bridge.owner.Announcements;
import kz.ikomek.vision.bridge.owner.IncidentChange;
import kz.ikomek.vision.bridge.owner.IncidentDecider;
import kz.ikomek.vision.bridge.owner.IncidentLookup;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.detectors.Evidence;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode's owner of one place partition: the same {@link IncidentDecider} as standalone, over the
 * partition's RocksDB state store (restored from its changelog when the partition moves), forwarding each state
 * change as its CloudEvent to {@code ikomek.incidents.v1}, every change to {@code ikomek.incident-state.v1} (the
 * read models' feed) and each kept frame to {@code ikomek.evidence.v1}.
 * Under exactly-once v2 the store change, the events and the consumed offset commit in one transaction: a
 * worker killed at any moment leaves either all of them or none.
 *
 * <p>"Published" is immediate here (the event goes out in the same transaction), so a new incident moves
 * DETECTED → PENDING_REVIEW in the same step, as standalone does once its Kafka outbox delivered.
 */
final class IncidentProcessor implements Processor<String, byte[], String, byte[]> {

    static final String TO_INCIDENTS = "to-incidents";
    static final String TO_EVIDENCE = "to-evidence";
    static final String TO_STATE = "to-state";
    private static final Logger log = LoggerFactory.getLogger(IncidentProcessor.class);

    private final BridgeOptions options;
    private final String source;
    private IncidentDecider decider;
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<String, byte[]> context;
    /** Ids of the open incidents of this partition: what clears look at. */
    private final Set<String> open = new LinkedHashSet<>();
    private final Lookup lookup = new Lookup();

    IncidentProcessor(BridgeOptions options, String source) {
        this.options = options;
        this.source = source;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(ClusterTopics.STORE);
        this.decider = new IncidentDecider(options);
        Instant now = options.clock().instant();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {
                StoredIncident s = Codec.read(kv.value, StoredIncident.class);
                decider.dedup().put(DedupEntry.of(s), now);
                if (s.incident().state().isOpen()) {
                    open.add(s.id());
                }
            });
        }
        Duration every = options.retention().interval();
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME,
                t -> decider.dedup().prune(options.clock().instant()));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        PartitionCommand cmd;
        try {
            cmd = Codec.read(record.value(), PartitionCommand.class);
        } catch (RuntimeException e) {
            // A record we cannot read must not stop the partition: say which, and go on.
            log.atWarn().addKeyValue("key", record.key()).log("unreadable partition command skipped: {}", e.getMessage());
            return;
        }
        Instant now = options.clock().instant();
        try {
            switch (cmd.kind()) {
                case CANDIDATE -> {
                    IncidentDecider.validate(cmd.candidate());
                    apply(decider.candidate(cmd.candidate(), now, lookup).changes(), now);
                }
                case CLEARED -> apply(decider.cleared(cmd.cameraId(), cmd.zoneId(), cmd.type(), cmd.at(), now,
                        lookup).changes(), now);
                case ACTION -> apply(decider.act(cmd.incidentId(), cmd.action(), cmd.actor(), cmd.reason(), now,
                        lookup).changes(), now);
                case FILED -> apply(decider.filed(cmd.incidentId(), cmd.reason(), now, lookup).changes(), now);
                case DELIVERY_FAILED -> apply(decider.deliveryFailed(cmd.incidentId(), cmd.reason(), now, lookup)
                        .changes(), now);
            }
        } catch (IllegalArgumentException | IncidentNotFoundException | IllegalTransitionException e) {
            // Two consoles acting at once: the later action finds the incident moved on. The read model shows it.
            log.atInfo().addKeyValue("key", record.key()).log("{} refused: {}", cmd.kind(), e.getMessage());
        }
    }

    private void apply(List<IncidentChange> changes, Instant now) {
        for (IncidentChange change : changes) {
            StoredIncident next = change.next();
            store.put(next.id(), Codec.write(next));
            if (next.incident().state().isOpen()) {
                open.add(next.id());
            } else {
                open.remove(next.id());
            }
            context.forward(new Record<>(next.id(), Codec.write(next.incident()), context.currentSystemTimeMs()),
                    TO_STATE);
            for (Evidence e : change.newEvidence()) {
                context.forward(new Record<>(e.sha256(), e.jpeg(), context.currentSystemTimeMs()), TO_EVIDENCE);
            }
            if (change.entered() != null) {
                byte[] event = Announcements.cloudEvent(source, change).getBytes(StandardCharsets.UTF_8);
                context.forward(new Record<>(next.id(), event, context.currentSystemTimeMs()), TO_INCIDENTS);
            }
            if (change.entered() == IncidentState.DETECTED) {
                apply(decider.system(next.id(), IncidentState.DETECTED, IncidentState.PENDING_REVIEW,
                        "published on " + ClusterTopics.INCIDENTS, null, now, lookup).changes(), now);
            }
        }
    }

    /** The store is written as each change is decided: no pending layer, the transaction covers it. */
    private final class Lookup implements IncidentLookup {

        @Override
        public StoredIncident get(String id) {
            byte[] raw = store.get(id);
            return raw == null ? null : Codec.read(raw, StoredIncident.class);
        }

        @Override
        public void forEachOpen(Consumer<StoredIncident> visitor) {
            for (String id : List.copyOf(open)) {
                StoredIncident s = get(id);
                if (s != null && s.incident().state().isOpen()) {
                    visitor.accept(s);
                }
            }
        }
    }
}
