package kz.ikomek.vision.console.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Refusals that strangers can repeat at will (throttled or unknown-user logins, a full login queue, reads a role
 * may not make) would otherwise cost one fsynced audit line each: 300 throttled logins in 3 s were 95 KB. The first
 * refusal of a kind (same actor, address, action and outcome) is written at once; repeats within {@code window}
 * are counted, and one summary line with the count and the targets tried is written when the window closes
 * ({@link #flushExpired()}, called periodically, and at {@link #close()}). Never blocks its caller: the lines are
 * written, in order, by a thread of its own, so a refusal can be counted on the event loop.
 */
public final class RefusalDigest implements AutoCloseable {

    private static final int TARGETS_SHOWN = 5;

    private final AuditLog audit;
    private final Clock clock;
    private final Duration window;
    private final Map<Kind, Repeats> open = new HashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ikomek-audit-digest");
        t.setDaemon(true);
        return t;
    });

    private record Kind(String actor, String address, String action, String outcome) {
    }

    private static final class Repeats {
        final Instant first;
        int count;
        final Set<String> targets = new LinkedHashSet<>();
        int otherTargets;

        Repeats(Instant first) {
            this.first = first;
        }

        void add(String target) {
            count++;
            if (target != null && !targets.contains(target)) {
                if (targets.size() < TARGETS_SHOWN) {
                    targets.add(target);
                } else {
                    otherTargets++;
                }
            }
        }
    }

    public RefusalDigest(AuditLog audit, Clock clock, Duration window) {
        this.audit = audit;
        this.clock = clock;
        this.window = window;
    }

    public void refused(String actor, String address, String action, String target, String outcome, String detail) {
        Kind kind = new Kind(actor, address, action, outcome);
        Instant now = clock.instant();
        Repeats closed;
        synchronized (this) {
            Repeats r = open.get(kind);
            if (r != null && now.isBefore(r.first.plus(window))) {
                r.add(target);
                return;
            }
            closed = r;
            open.put(kind, new Repeats(now));
        }
        writer.execute(() -> {
            if (closed != null) {
                summarize(kind, closed);
            }
            audit.append(actor, address, action, target, outcome, detail);
        });
    }

    /** Writes the summary of every window that has closed. */
    public void flushExpired() {
        flush(false);
    }

    /** Writes every summary and waits for the writes (at shutdown). */
    @Override
    public void close() {
        flush(true);
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flush(boolean all) {
        Instant now = clock.instant();
        List<Map.Entry<Kind, Repeats>> due = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Kind, Repeats>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Kind, Repeats> e = it.next();
                if (all || !now.isBefore(e.getValue().first.plus(window))) {
                    due.add(e);
                    it.remove();
                }
            }
        }
        if (!due.isEmpty()) {
            writer.execute(() -> due.forEach(e -> summarize(e.getKey(), e.getValue())));
        }
    }

    private void summarize(Kind kind, Repeats r) {
        if (r.count == 0) {
            return;
        }
        String targets = String.join(", ", r.targets) + (r.otherTargets > 0 ? " and " + r.otherTargets + " more" : "");
        audit.append(kind.actor(), kind.address(), kind.action(), targets.isEmpty() ? null : targets, kind.outcome(),
                "repeated " + r.count + " more times since " + r.first + " (summarized)");
    }
}
