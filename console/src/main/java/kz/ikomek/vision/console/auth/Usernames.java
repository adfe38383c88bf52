package kz.ikomek.vision.console.auth;

import java.util.regex.Pattern;

/** Usernames land in the audit log, cookies' owners and the UI: keep them to a plain, printable set. */
public final class Usernames {

    public static final String RULE = "1 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Usernames() {
    }

    public static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
