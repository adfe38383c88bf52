package kz.ikomek.vision.config.load;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.ikomek.vision.config.Urls;

/**
 * Checks the URLs we connect to. Parsed by hand rather than with {@link java.net.URI}: camera
 * passwords often hold characters URI rejects, and FFmpeg takes them as they are. Every message
 * shows the URL masked.
 */
public final class CameraUrls {
    public static final List<String> CAMERA_SCHEMES = List.of("rtsp", "rtsps", "http", "https", "file");
    public static final List<String> HTTP_SCHEMES = List.of("http", "https");
    private static final Pattern URL = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)");

    private CameraUrls() {
    }

    /** Why {@code url} is not a usable URL with one of {@code schemes}, or null when it is. */
    public static String problem(String url, List<String> schemes) {
        String shown = Urls.mask(url);
        if (url.chars().anyMatch(Character::isWhitespace)) {
            return "URL contains spaces (percent-encode them as %20): " + shown;
        }
        Matcher m = URL.matcher(url);
        if (!m.matches() || m.group(1).length() < 2) {
            return "not a URL, expected " + String.join("://, ", schemes) + "://...; got " + Problems.echo(url);
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            return "unsupported scheme '" + m.group(1) + "' in " + shown + "; use " + String.join(", ", schemes);
        }
        String rest = m.group(2);
        if (scheme.equals("file")) {
            String path = rest.startsWith("//") ? rest.substring(2) : rest;
            return path.isEmpty() ? "file URL has no path: " + shown : null;
        }
        if (!rest.startsWith("//")) {
            return "expected " + scheme + "://host/..., got " + shown;
        }
        String authority = rest.substring(2).split("[/?#]", 2)[0];
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.indexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        String reason = HostPort.hostProblem(host);
        if (reason == null && colon >= 0) {
            reason = HostPort.portProblem(hostPort.substring(colon + 1));
        }
        return reason == null ? null : reason + " in " + shown;
    }
}
