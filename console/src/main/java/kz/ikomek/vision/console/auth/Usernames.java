package kz.ikomek.vision.console.auth;

import java.util.regex.Pattern;

/** Usernames land in the audit log, cookies' owners and the UI: keep them to a plain, printable set. */
public final class Usernames {

    public static final String RULE = "1 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    /** How the audit log names the actor of a login with a name no account has. */
    public static final String UNKNOWN = "(unknown)";

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Usernames() {
    }

    public static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /**
     * A name someone typed, safe to show beside real ones: anything but printable ASCII (a Cyrillic 'а', a
     * zero-width space, a trailing blank) and the backslash become {@code \}{@code uXXXX}, so "аdmin" cannot pass
     * for "admin" in the admin's audit view.
     */
    public static String escaped(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
