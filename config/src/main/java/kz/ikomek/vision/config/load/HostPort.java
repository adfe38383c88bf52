package kz.ikomek.vision.config.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code host:port} as in a URL authority or Kafka's bootstrap servers. */
final class HostPort {
    private static final Pattern HOST = Pattern.compile("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^]]*]|[^:]*)(?::(.*))?");

    private HostPort() {
    }

    /** Why {@code text} is not {@code host:port} (port required), or null when it is. */
    static String problem(String text) {
        Matcher m = HOST_PORT.matcher(text);
        if (!m.matches() || m.group(2) == null) {
            return "expected host:port, got " + Problems.echo(text);
        }
        String hostProblem = hostProblem(m.group(1));
        return hostProblem != null ? hostProblem : portProblem(m.group(2));
    }

    static String hostProblem(String host) {
        if (host.isEmpty()) {
            return "host is missing";
        }
        return HOST.matcher(host).matches() ? null : "not a valid host name: " + Problems.echo(host);
    }

    static String portProblem(String port) {
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return "port must be a number 1..65535, got " + Problems.echo(port);
        }
        return p >= 1 && p <= 65535 ? null : "port must be within 1..65535, got " + p;
    }
}
