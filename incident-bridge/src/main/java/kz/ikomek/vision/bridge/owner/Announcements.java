package kz.ikomek.vision.bridge.owner;

import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentState;
import kz.ikomek.vision.bridge.Lifecycle;
import kz.ikomek.vision.bridge.delivery.CloudEvents;
import kz.ikomek.vision.bridge.delivery.Open311Options;

/** What a state change tells the world, the same in both modes: its CloudEvent, and whether Open311 is due. */
public final class Announcements {

    private Announcements() {
    }

    /** The {@code ikomek.incidents.v1} event of a change into {@code change.entered()}; id = incident/version. */
    public static String cloudEvent(String source, IncidentChange change) {
        Incident i = change.next().incident();
        return CloudEvents.incidentEvent(source, change.next().id() + "/" + change.next().version(),
                Lifecycle.eventType(change.entered()), i.history().get(i.history().size() - 1).at(), i);
    }

    /** True when entering {@code entered} files the incident with the case system (once: no request id yet). */
    public static boolean open311Due(Open311Options open311, Incident i, IncidentState entered) {
        return open311 != null && entered == open311.submitAt() && i.serviceRequestId() == null
                && open311.serviceCodes().containsKey(i.type());
    }
}
