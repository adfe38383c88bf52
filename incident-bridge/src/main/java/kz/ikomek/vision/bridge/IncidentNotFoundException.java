package kz.ikomek.vision.bridge;

public class IncidentNotFoundException extends RuntimeException {
    public IncidentNotFoundException(String id) {
        super("no incident with id '" + id + "'");
    }
}
