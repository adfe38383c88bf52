package kz.ikomek.vision.bridge;

public class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(String id, IncidentState from, IncidentAction action) {
        super("incident " + id + " is " + from + ": cannot " + action.wireName() + " it");
    }
}
