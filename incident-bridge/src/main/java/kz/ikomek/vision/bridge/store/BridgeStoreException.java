package kz.ikomek.vision.bridge.store;

import kz.ikomek.vision.config.BadInputException;

/**
 * The state directory can't be used as it is: corrupt, from another schema version, or not ours. It is bad
 * input (the storage.dir the user pointed at), and we stop rather than start over on an empty store and
 * silently lose incidents.
 */
public class BridgeStoreException extends BadInputException {
    public BridgeStoreException(String message) {
        super(message);
    }

    public BridgeStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
