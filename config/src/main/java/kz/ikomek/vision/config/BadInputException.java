package kz.ikomek.vision.config;

/**
 * The user gave us something wrong (a config, an argument, an image, a URL). The message names the
 * thing, the value and the fix; the command prints it without a stack trace and exits with 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
