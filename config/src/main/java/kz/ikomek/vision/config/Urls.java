package kz.ikomek.vision.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Camera URLs carry credentials; nothing we print may show them. Cameras take them in three forms, and
 * {@link #mask} hides all three in a URL or in any text that holds one (a log line, an error message):
 * <ul>
 *   <li>user info: {@code rtsp://viewer:secret@10.1.2.3/sub};</li>
 *   <li>query parameters: {@code rtsp://10.1.2.3/live?user=admin&password=secret};</li>
 *   <li>key=value pairs in the path, as many NVRs take them:
 *       {@code rtsp://10.1.2.3/user=admin&password=secret&channel=1&stream=0.sdp}.</li>
 * </ul>
 */
public final class Urls {

    /** Parameter names whose value is a credential (compared without case, '-' and '_'). */
    static final Set<String> CREDENTIAL_KEYS = Set.of("password", "passwd", "pwd", "pass", "key", "token", "auth",
            "secret", "apikey", "accesstoken", "authtoken");

    // scheme://user:pass@host or scheme://user@host — everything between "//" and the last "@" before the
    // path, so a password holding "@" is masked whole. It stops at white space, so the text after a URL in a
    // log line ("... [rtsp @ 0x5] 401") survives; the config rejects URLs with spaces without echoing them.
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/\\s]*@");

    // name=value where name starts a token, a path segment or a parameter. The value runs to the next
    // parameter separator; in a path also to the next '/' or '?' (a camera could not read a raw '/' there
    // either), in a query only to '&', ';' or '#' because '/' is legal inside a query value.
    private static final Pattern PAIR = Pattern.compile("(?<=^|[\\s/?&;\"'(\\[,])([A-Za-z][A-Za-z0-9_-]{0,31})=");

    private Urls() {
    }

    /**
     * {@code rtsp://viewer:secret@10.1.2.3/sub} becomes {@code rtsp://***@10.1.2.3/sub}; {@code password=secret}
     * in a query or a path becomes {@code password=***}.
     */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String text = USER_INFO.matcher(url).replaceAll("***@");
        return maskPairs(text);
    }

    /**
     * Whether {@code url} carries a credential as a parameter (query or path), where it also reaches the camera's
     * and every proxy's access log; user info ({@code user:pass@}) does not count.
     */
    public static boolean hasParameterCredential(String url) {
        return url != null && !maskPairs(url).equals(url);
    }

    private static String maskPairs(String text) {
        Matcher m = PAIR.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int valueStart = m.end();
            int valueEnd = valueEnd(text, valueStart, inQuery(text, m.start()));
            from = Math.max(valueEnd, valueStart);
            if (!isCredential(m.group(1)) || valueEnd == valueStart || text.startsWith("***", valueStart)
                    && valueEnd - valueStart == 3) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, valueStart).append("***");
            copied = valueEnd;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static boolean isCredential(String name) {
        return CREDENTIAL_KEYS.contains(name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""));
    }

    /** Whether a '?' comes before {@code at} in the same white-space-delimited token. */
    private static boolean inQuery(String text, int at) {
        for (int i = at - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '?') {
                return true;
            }
            if (Character.isWhitespace(c)) {
                return false;
            }
        }
        return false;
    }

    private static int valueEnd(String text, int from, boolean query) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '&' || c == ';' || c == '#' || c == '"' || c == '\''
                    || (!query && (c == '/' || c == '?'))) {
                break;
            }
            i++;
        }
        return i;
    }
}
