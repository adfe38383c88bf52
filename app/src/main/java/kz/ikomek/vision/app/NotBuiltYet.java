package kz.ikomek.vision.app;

/** What a subcommand says until its issue lands: an honest failure, never a fake result. */
final class NotBuiltYet {
    private NotBuiltYet() {
    }

    static int say(String command) {
        System.err.println("ikomek-vision " + command + ": not built yet");
        return Main.EXIT_FAILURE;
    }
}
