package kz.ikomek.vision.config.load;

import java.util.List;
import java.util.Locale;
import kz.ikomek.vision.config.Urls;

/**
 * Checks the URLs we connect to. Parsed by hand rather than with {@link java.net.URI}: camera
 * passwords often hold characters URI rejects, and FFmpeg takes them as they are. Every message
 * shows the URL masked.
 */
public final class CameraUrls {
    public static final List<String> CAMERA_SCHEMES = List.of("rtsp", "rtsps", "http", "https", "file");
    public static final List<String> HTTP_SCHEMES = List.of("http", "https");

    private CameraUrls() {
    }

    /** Why {@code url} is not a usable URL with one of {@code schemes}, or null when it is. */
    public static String problem(String url, List<String> schemes) {
        // Hand-rolled rather than regular expressions: this runs for each of 12,000 registry rows.
        for (int i = 0; i < url.length(); i++) {
            if (Character.isWhitespace(url.charAt(i))) {
                // Not echoed: mask() stops at white space, and the space may be inside the password.
                return "URL contains white space; percent-encode it (a space is %20)";
            }
        }
        int colon = url.indexOf(':');
        if (colon < 2 || !isScheme(url, colon)) {
            return "not a URL, expected " + String.join("://, ", schemes) + "://...; got " + Problems.echo(url);
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            return "unsupported scheme '" + url.substring(0, colon) + "' in " + Urls.mask(url) + "; use "
                    + String.join(", ", schemes);
        }
        String rest = url.substring(colon + 1);
        if (scheme.equals("file")) {
            String path = rest.startsWith("//") ? rest.substring(2) : rest;
            return path.isEmpty() ? "file URL has no path: " + Urls.mask(url) : null;
        }
        if (!rest.startsWith("//")) {
            return "expected " + scheme + "://host/..., got " + Urls.mask(url);
        }
        int end = 2;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(2, end);
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int portColon = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.indexOf(':');
        String host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
        String reason = HostPort.hostProblem(host);
        if (reason == null && portColon >= 0) {
            reason = HostPort.portProblem(hostPort.substring(portColon + 1));
        }
        return reason == null ? null : reason + " in " + Urls.mask(url);
    }

    private static boolean isScheme(String url, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = url.charAt(i);
            boolean ok = c < 128 && (Character.isLetter(c) || (i > 0 && (Character.isDigit(c) || c == '+' || c == '.' || c == '-')));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
