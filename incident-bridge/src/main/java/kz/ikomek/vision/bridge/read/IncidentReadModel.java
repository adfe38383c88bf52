package kz.ikomek.vision.bridge.read;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.store.BridgeStore;
import kz.ikomek.vision.bridge.store.BridgeStore.Family;
import kz.ikomek.vision.bridge.store.Codec;
import kz.ikomek.vision.config.IncidentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console reads: incidents by id from a store's {@link Family#INCIDENTS} family, and listeners told of
 * each durable change on their own thread (a slow listener never holds up the owner). Standalone it reads the
 * owner's own store; in cluster mode a worker's local store that the incidents topic feeds.
 */
public final class IncidentReadModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IncidentReadModel.class);

    private final BridgeStore store;
    private final Function<byte[], Incident> decode;
    private final List<Consumer<Incident>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier;

    /** {@code decode}: the family's value to the public incident (standalone stores {@code StoredIncident}). */
    public IncidentReadModel(BridgeStore store, Function<byte[], Incident> decode) {
        this.store = store;
        this.decode = decode;
        this.notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bridge-notify");
            t.setDaemon(true);
            return t;
        });
    }

    /** Newest first; a null filter matches everything. */
    public List<Incident> list(IncidentState state, IncidentType type) {
        List<Incident> all = new ArrayList<>();
        store.scan(Family.INCIDENTS, null, (k, v) -> {
            Incident i = decode.apply(v);
            if ((state == null || i.state() == state) && (type == null || i.type() == type)) {
                all.add(i);
            }
            return true;
        });
        all.sort(Comparator.comparing(Incident::firstSeen).thenComparing(Incident::id).reversed());
        return all;
    }

    public Optional<Incident> get(String id) {
        if (id == null) {
            return Optional.empty();
        }
        byte[] raw = store.get(Family.INCIDENTS, Codec.utf8(id));
        return raw == null ? Optional.empty() : Optional.of(decode.apply(raw));
    }

    public AutoCloseable subscribe(Consumer<Incident> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * These changes are durable: tell the listeners, in order, then run {@code after} on the same thread (the
     * standalone owner announces new incidents once they were shown).
     */
    public void changed(List<Incident> changed, Runnable after) {
        if (notifier.isShutdown()) {
            return;
        }
        notifier.execute(() -> {
            for (Incident i : changed) {
                for (Consumer<Incident> l : listeners) {
                    try {
                        l.accept(i);
                    } catch (RuntimeException e) {
                        log.warn("an incident listener failed on {}", i.id(), e);
                    }
                }
            }
            if (after != null) {
                after.run();
            }
        });
    }

    /** Lets queued notifications finish (a few seconds at most). */
    @Override
    public void close() {
        notifier.shutdown();
        try {
            notifier.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
