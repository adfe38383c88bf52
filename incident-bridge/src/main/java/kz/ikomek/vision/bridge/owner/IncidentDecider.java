package kz.ikomek.vision.bridge.owner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import kz.ikomek.vision.bridge.BridgeOptions;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentNotFoundException;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.IllegalTransitionException;
import kz.ikomek.vision.bridge.Lifecycle;
import kz.ikomek.vision.bridge.delivery.Open311Options;
import kz.ikomek.vision.bridge.Recorded;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.bridge.dedup.DedupEntry;
import kz.ikomek.vision.bridge.dedup.DedupIndex;
import kz.ikomek.vision.bridge.dedup.Match;
import kz.ikomek.vision.bridge.evidence.EvidenceFiles;
import kz.ikomek.vision.bridge.store.StoredIncident;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.Evidence;

/**
 * The dedup and lifecycle decisions of one place partition: a candidate opens, joins or is suppressed; a clear
 * expires; a person's action or a delivery result moves an incident. It stores nothing and sends nothing: it
 * returns {@link IncidentChange}s, and the owner that runs it (standalone: {@code LocalPartition} over RocksDB
 * and group commit; cluster: the Kafka Streams processor over its state store) makes them durable and
 * announces them. The same decisions in both modes, so the modes cannot drift apart.
 *
 * <p>Not thread-safe: one owner thread at a time per partition, like a Streams task. It keeps the partition's
 * {@link DedupIndex} in step with every change it returns.
 */
public final class IncidentDecider {

    /** The actor of changes the bridge makes itself. */
    public static final String SYSTEM = "bridge";

    private final BridgeOptions options;
    private final DedupIndex dedup;

    public IncidentDecider(BridgeOptions options) {
        this.options = options;
        this.dedup = new DedupIndex(options.mergeRadiusMeters(), options.rejectSuppression(), options.cooldown(),
                options.dumpingMergeWindow());
    }

    /** The partition's dedup index, for the owner to rebuild on recovery and prune in housekeeping. */
    public DedupIndex dedup() {
        return dedup;
    }

    /**
     * Refuses a malformed candidate, naming each problem; checks that every frame's bytes hash to its SHA-256.
     *
     * @throws IllegalArgumentException what is wrong, with the candidate's event, camera and zone
     */
    public static void validate(Candidate c) {
        if (c == null) {
            throw new IllegalArgumentException("candidate: must not be null");
        }
        List<String> problems = new ArrayList<>();
        if (c.type() == null) {
            problems.add("type is null");
        }
        if (c.place() == null || !(Math.abs(c.place().lat()) <= 90) || !(Math.abs(c.place().lon()) <= 180)) {
            problems.add("place " + c.place() + " is not a WGS-84 position");
        }
        if (c.cameraId() == null || c.cameraId().isBlank()) {
            problems.add("cameraId is empty");
        }
        if (c.zoneId() == null || c.zoneId().isBlank()) {
            problems.add("zoneId is empty");
        }
        if (c.firstSeen() == null || c.lastSeen() == null || c.lastSeen().isBefore(c.firstSeen())) {
            problems.add("firstSeen " + c.firstSeen() + " / lastSeen " + c.lastSeen() + " are not in order");
        }
        if (!(c.bestScore() >= 0 && c.bestScore() <= 1)) {
            problems.add("bestScore " + c.bestScore() + " is not within 0..1");
        }
        if (c.evidence() == null) {
            problems.add("evidence is null (use an empty list)");
        } else {
            for (Evidence e : c.evidence()) {
                if (e == null || !EvidenceFiles.isSha256(e.sha256()) || e.jpeg() == null || e.at() == null) {
                    problems.add("evidence needs a lowercase hex sha256, bytes and a time");
                    break;
                }
                String actual = EvidenceFiles.sha256(e.jpeg());
                if (!actual.equals(e.sha256())) {
                    problems.add("evidence sha256 " + e.sha256() + " does not match its " + e.jpeg().length
                            + " bytes (they hash to " + actual + ")");
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("candidate " + c.eventId() + " from " + c.cameraId() + "/"
                    + c.zoneId() + ": " + String.join("; ", problems));
        }
    }

    /** Opens an incident, merges the candidate into an open one of the same type and place, or suppresses it. */
    public Decided<Recorded> candidate(Candidate c, Instant now, IncidentLookup state) {
        Match m = dedup.match(c, now);
        switch (m.kind()) {
            case SUPPRESS -> {
                return new Decided<>(new Recorded(Recorded.Outcome.SUPPRESSED, current(state, m.id()).incident(),
                        m.reason()), List.of());
            }
            case MERGE -> {
                StoredIncident cur = current(state, m.id());
                StoredIncident next = merged(cur, c);
                if (next == null) {
                    return new Decided<>(new Recorded(Recorded.Outcome.MERGED, cur.incident(), null), List.of());
                }
                return new Decided<>(new Recorded(Recorded.Outcome.MERGED, next.incident(), null),
                        List.of(change(next, null, evidenceOf(c, next), now)));
            }
            default -> {
                StoredIncident created = created(c, now, m.reason());
                return new Decided<>(new Recorded(Recorded.Outcome.OPENED, created.incident(), m.reason()),
                        List.of(change(created, IncidentState.DETECTED, evidenceOf(c, created), now)));
            }
        }
    }

    /**
     * The tracker's clear for one camera zone: an incident no zone reports any more and nobody has acted on
     * becomes EXPIRED; confirmed or dispatched ones stay for people to resolve. The result: what expired.
     */
    public Decided<List<Incident>> cleared(String cameraId, String zoneId, IncidentType type, Instant at,
                                           Instant now, IncidentLookup state) {
        String zone = DedupIndex.zoneKey(cameraId, zoneId);
        Set<String> ids = new LinkedHashSet<>();
        state.forEachOpen(s -> {
            if (s.incident().type() == type && s.activeZones().contains(zone)) {
                ids.add(s.id());
            }
        });
        List<Incident> expired = new ArrayList<>();
        List<IncidentChange> changes = new ArrayList<>();
        for (String id : ids) {
            StoredIncident cur = current(state, id);
            List<String> active = new ArrayList<>(cur.activeZones());
            active.remove(zone);
            if (active.isEmpty() && Lifecycle.mayExpire(cur.incident().state())) {
                StoredIncident next = transitioned(cur, IncidentState.EXPIRED, "tracker", at,
                        "condition cleared on " + zone + " before anyone acted");
                changes.add(change(next, IncidentState.EXPIRED, List.of(), now));
                expired.add(next.incident());
            } else {
                changes.add(change(cur.with(cur.incident(), cur.zones(), active, cur.eventIds(), cur.closedAt()),
                        null, List.of(), now));
            }
        }
        return new Decided<>(expired, changes);
    }

    /**
     * A person's action.
     *
     * @throws IncidentNotFoundException  no incident with that id in this partition
     * @throws IllegalTransitionException not allowed from the incident's state
     */
    public Decided<Incident> act(String id, IncidentAction action, String actor, String reason, Instant now,
                                 IncidentLookup state) {
        checkAction(action, actor);
        StoredIncident cur = state.get(id);
        if (cur == null) {
            throw new IncidentNotFoundException(id);
        }
        IncidentState from = cur.incident().state();
        if (!Lifecycle.allowed(from, action)) {
            throw new IllegalTransitionException(id, from, action);
        }
        IncidentState to = Lifecycle.target(action);
        StoredIncident next = transitioned(cur, to, actor, now, reason);
        return new Decided<>(next.incident(), List.of(change(next, to, List.of(), now)));
    }

    /** The checks of an action that need no state: a console refuses these before sending anything anywhere. */
    public static void checkAction(IncidentAction action, String actor) {
        if (action == null) {
            throw new IllegalArgumentException("action: must be one of confirm, reject, dispatch, resolve");
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor: who acts must be named");
        }
    }

    /**
     * A change the bridge makes on its own (announced, case-system results): {@code edit} (may be null) applies
     * always; the move to {@code to} only when the incident is still in {@code from} (null = any state).
     * An unknown incident, or one the edit leaves as it was, gives no change.
     */
    public Decided<Incident> system(String id, IncidentState from, IncidentState to, String why,
                                    UnaryOperator<Incident> edit, Instant now, IncidentLookup state) {
        StoredIncident cur = state.get(id);
        if (cur == null) {
            return new Decided<>(null, List.of());
        }
        StoredIncident next = cur;
        if (edit != null) {
            Incident edited = edit.apply(next.incident());
            if (!edited.equals(next.incident())) {
                next = next.with(edited);
            }
        }
        boolean move = to != null && (from == null || next.incident().state() == from);
        if (move) {
            next = transitioned(next, to, SYSTEM, now, why);
        }
        if (next == cur) {
            return new Decided<>(cur.incident(), List.of());
        }
        return new Decided<>(next.incident(), List.of(change(next, move ? to : null, List.of(), now)));
    }

    /**
     * The case system filed the incident as {@code serviceRequestId}: recorded on it, and a CONFIRMED incident
     * moves to DISPATCHED when the case system dispatches on accept. Only when filing waits for the operator's
     * confirmation ({@code submit: confirmed}): filed at detection, the case system accepted a detection, and
     * whether the answer arrives before or after the operator confirms must not decide a dispatch.
     */
    public Decided<Incident> filed(String id, String serviceRequestId, Instant now, IncidentLookup state) {
        boolean dispatch = options.open311() != null && options.open311().dispatchOnAccept()
                && options.open311().submitAt() == IncidentState.CONFIRMED;
        return system(id, IncidentState.CONFIRMED, dispatch ? IncidentState.DISPATCHED : null,
                "case system accepted it as service request " + serviceRequestId,
                i -> withDelivery(i, serviceRequestId, false), now, state);
    }

    /** Delivery gave up: the incident shows {@code deliveryFailed} until someone retries it. */
    public Decided<Incident> deliveryFailed(String id, String error, Instant now, IncidentLookup state) {
        return system(id, null, null, error, i -> withDelivery(i, i.serviceRequestId(), true), now, state);
    }

    /** The incident with the case system's answer recorded. */
    public static Incident withDelivery(Incident i, String serviceRequestId, boolean failed) {
        return new Incident(i.id(), i.type(), i.state(), i.place(), i.address(), i.firstSeen(), i.lastSeen(),
                i.cameras(), i.bestScore(), i.evidence(), i.history(), i.serviceCode(), serviceRequestId, failed);
    }

    private IncidentChange change(StoredIncident next, IncidentState entered, List<Evidence> newEvidence,
                                  Instant now) {
        DedupEntry entry = DedupEntry.of(next);
        boolean live = dedup.put(entry, now);
        return new IncidentChange(next, entered, newEvidence, entry, live);
    }

    private static StoredIncident current(IncidentLookup state, String id) {
        StoredIncident s = state.get(id);
        if (s == null) {
            throw new IllegalStateException("dedup index names incident " + id + " but the partition has none");
        }
        return s;
    }

    private StoredIncident created(Candidate c, Instant now, String reason) {
        String id = "inc-" + UUID.randomUUID();
        String zone = DedupIndex.zoneKey(c.cameraId(), c.zoneId());
        String serviceCode = options.open311() == null ? Open311Options.defaultServiceCodes().get(c.type())
                : options.open311().serviceCodes().get(c.type());
        List<EvidenceRef> evidence = bounded(new ArrayList<>(), c);
        Incident i = new Incident(id, c.type(), IncidentState.DETECTED, c.place(), c.address(), c.firstSeen(),
                c.lastSeen(), List.of(c.cameraId()), c.bestScore(), evidence,
                List.of(new Transition(null, IncidentState.DETECTED, "tracker", now, reason)), serviceCode, null,
                false);
        return new StoredIncident(i, List.of(zone), List.of(zone),
                c.eventId() == null ? List.of() : List.of(c.eventId()), 1, null);
    }

    /** The incident with the candidate folded in, or null when the candidate adds nothing (a replay). */
    private StoredIncident merged(StoredIncident cur, Candidate c) {
        Incident i = cur.incident();
        String zone = DedupIndex.zoneKey(c.cameraId(), c.zoneId());
        List<String> cameras = addIfAbsent(i.cameras(), c.cameraId());
        List<String> zones = addIfAbsent(cur.zones(), zone);
        List<String> active = addIfAbsent(cur.activeZones(), zone);
        List<String> events = c.eventId() == null ? cur.eventIds() : addIfAbsent(cur.eventIds(), c.eventId());
        List<EvidenceRef> evidence = bounded(new ArrayList<>(i.evidence()), c);
        Instant first = c.firstSeen().isBefore(i.firstSeen()) ? c.firstSeen() : i.firstSeen();
        Instant last = c.lastSeen().isAfter(i.lastSeen()) ? c.lastSeen() : i.lastSeen();
        double best = Math.max(i.bestScore(), c.bestScore());
        if (cameras.equals(i.cameras()) && zones.equals(cur.zones()) && active.equals(cur.activeZones())
                && events.equals(cur.eventIds()) && evidence.equals(i.evidence()) && first.equals(i.firstSeen())
                && last.equals(i.lastSeen()) && best == i.bestScore()) {
            return null;
        }
        Incident next = new Incident(i.id(), i.type(), i.state(), i.place(), i.address(), first, last, cameras, best,
                evidence, i.history(), i.serviceCode(), i.serviceRequestId(), i.deliveryFailed());
        return cur.with(next, zones, active, events, cur.closedAt());
    }

    private static List<String> addIfAbsent(List<String> list, String value) {
        if (list.contains(value)) {
            return list;
        }
        List<String> copy = new ArrayList<>(list);
        copy.add(value);
        return List.copyOf(copy);
    }

    /**
     * Adds the candidate's frames, keeping per camera only the first half and the latest half of
     * {@code evidencePerCamera}: a condition seen for hours must not pile up thousands of JPEGs.
     */
    private List<EvidenceRef> bounded(List<EvidenceRef> refs, Candidate c) {
        Set<String> known = new HashSet<>();
        refs.forEach(r -> known.add(r.sha256()));
        for (Evidence e : c.evidence()) {
            if (known.add(e.sha256())) {
                refs.add(new EvidenceRef(e.sha256(), e.role(), c.cameraId(), e.at(), e.detail()));
            }
        }
        int cap = options.evidencePerCamera();
        Map<String, List<EvidenceRef>> perCamera = new LinkedHashMap<>();
        refs.forEach(r -> perCamera.computeIfAbsent(r.cameraId(), k -> new ArrayList<>()).add(r));
        List<EvidenceRef> kept = new ArrayList<>();
        for (List<EvidenceRef> mine : perCamera.values()) {
            if (mine.size() <= cap) {
                kept.addAll(mine);
                continue;
            }
            mine.sort(Comparator.comparing(EvidenceRef::at));
            int firstN = cap / 2;
            kept.addAll(mine.subList(0, firstN));
            kept.addAll(mine.subList(mine.size() - (cap - firstN), mine.size()));
        }
        return List.copyOf(kept);
    }

    /** The new evidence of this candidate that the incident kept: its bytes must be stored with the change. */
    private static List<Evidence> evidenceOf(Candidate c, StoredIncident next) {
        Set<String> kept = new HashSet<>();
        next.incident().evidence().forEach(r -> kept.add(r.sha256()));
        return c.evidence().stream().filter(e -> kept.contains(e.sha256())).toList();
    }

    private static StoredIncident transitioned(StoredIncident cur, IncidentState to, String actor, Instant at,
                                               String why) {
        Incident i = cur.incident();
        List<Transition> history = new ArrayList<>(i.history());
        history.add(new Transition(i.state(), to, actor, at, why));
        Incident next = new Incident(i.id(), i.type(), to, i.place(), i.address(), i.firstSeen(), i.lastSeen(),
                i.cameras(), i.bestScore(), i.evidence(), List.copyOf(history), i.serviceCode(),
                i.serviceRequestId(), i.deliveryFailed());
        Instant closedAt = to.isOpen() ? null : at;
        List<String> active = to.isOpen() ? cur.activeZones() : List.of();
        return cur.with(next, cur.zones(), active, cur.eventIds(), closedAt);
    }
}
