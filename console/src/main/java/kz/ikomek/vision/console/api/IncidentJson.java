package kz.ikomek.vision.console.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import kz.ikomek.vision.bridge.EvidenceRef;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Lifecycle;
import kz.ikomek.vision.bridge.Transition;
import kz.ikomek.vision.console.auth.Access;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.geo.Districts;

/** An incident as one user may see it: evidence they may not see is withheld and counted, not silently lost. */
public final class IncidentJson {

    private IncidentJson() {
    }

    public static JsonObject of(Incident i, User user) {
        JsonArray evidence = new JsonArray();
        int withheld = 0;
        for (EvidenceRef ref : nullSafe(i.evidence())) {
            if (Access.canSeeEvidence(user, i, ref)) {
                JsonObject e = new JsonObject().put("sha256", ref.sha256()).put("role", ref.role())
                        .put("camera", ref.cameraId()).put("at", time(ref.at()))
                        .put("url", "/api/incidents/" + i.id() + "/evidence/" + ref.sha256());
                if (ref.detail() != null) {
                    e.put("detail", ref.detail());   // what the detector saw: "truck 0.41"
                }
                evidence.add(e);
            } else {
                withheld++;
            }
        }
        JsonArray history = new JsonArray();
        for (Transition t : nullSafe(i.history())) {
            history.add(new JsonObject().put("from", t.from() == null ? null : t.from().name())
                    .put("to", t.to().name()).put("actor", t.actor()).put("at", time(t.at())).put("reason", t.reason()));
        }
        JsonArray actions = new JsonArray();
        Set<IncidentAction> allowed = Access.actions(user, i);
        for (IncidentAction a : suggested(i.state())) {
            if (allowed.contains(a)) {
                actions.add(a.wireName());
            }
        }
        return new JsonObject()
                .put("id", i.id())
                .put("type", i.type().wireName())
                .put("state", i.state().name())
                .put("place", i.place() == null ? null : new JsonObject().put("lat", i.place().lat()).put("lon", i.place().lon()))
                .put("address", i.address())
                .put("district", Districts.of(i.place()))
                .put("firstSeen", time(i.firstSeen()))
                .put("lastSeen", time(i.lastSeen()))
                .put("cameras", new JsonArray(List.copyOf(nullSafe(i.cameras()))))
                .put("bestScore", i.bestScore())
                .put("evidence", evidence)
                .put("evidenceWithheld", withheld)
                .put("history", history)
                .put("serviceCode", i.serviceCode())
                .put("serviceRequestId", i.serviceRequestId())
                .put("deliveryFailed", i.deliveryFailed())
                .put("actions", actions)
                .put("exportable", Access.canExport(user, i));
    }

    /** The actions the bridge's lifecycle allows from a state, in button order; the bridge still judges (409). */
    static List<IncidentAction> suggested(IncidentState state) {
        return java.util.Arrays.stream(IncidentAction.values()).filter(a -> Lifecycle.allowed(state, a)).toList();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }
}
