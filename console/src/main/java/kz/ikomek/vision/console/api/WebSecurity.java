package kz.ikomek.vision.console.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Security headers on every answer, and the CSRF check on every state-changing request.
 *
 * <p>CSRF: the session cookie is SameSite=Strict, so browsers do not attach it to requests started by other
 * sites. On top, every POST is refused (403) when the browser says it came from elsewhere: an {@code Origin}
 * header that is not this console's own origin, or {@code Sec-Fetch-Site} of cross-site/same-site. Requests with
 * neither header are not from a browser page (curl, scripts, tests) and cannot carry a victim's cookie by
 * accident, so they pass. Every state-changing request must also say exactly {@code Content-Type: application/json}
 * (send {@code {}} when there is nothing to say), which neither an HTML form nor a "simple" cross-site fetch can
 * send without a CORS preflight this server never grants; a body-less or text/plain POST is refused with 415.
 *
 * <p>DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1 is same-origin with itself, so the
 * Origin check passes; only the Host header (evil.example) tells. Requests are answered only for the console's own
 * names ({@link #allowedHosts}); others get 421.
 */
public final class WebSecurity {

    /**
     * No inline scripts or styles, nothing from other origins, no framing (clickjacking), no plugins. Images also
     * from {@code data:} for the small inline icons of the page.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");
    private static final Set<String> ANY_ADDRESS = Set.of("0.0.0.0", "::", "");

    private final Set<String> extraOrigins;
    private final boolean https;
    private final Set<String> hosts;
    private final boolean anyAddress;

    /**
     * @param extraOrigins origins besides the request's own host that may post (e.g. a reverse proxy's name)
     * @param hosts        the names the console answers to besides loopback (see {@link #allowedHosts})
     */
    public WebSecurity(Set<String> extraOrigins, boolean https, Set<String> hosts, boolean anyAddress) {
        this.extraOrigins = extraOrigins;
        this.https = https;
        this.hosts = hosts;
        this.anyAddress = anyAddress;
    }

    /**
     * The Host names a console listening on {@code listenHost} answers to: that address, loopback names, the hosts
     * of the extra origins and the configured {@code allowedHosts}. When it listens on every address (0.0.0.0 or
     * ::) any IP address is accepted too: a rebinding page always comes with a name, never with an address.
     */
    public static WebSecurity of(String listenHost, Set<String> allowedHosts, Set<String> extraOrigins, boolean https) {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK);
        String listen = bare(listenHost);
        boolean any = ANY_ADDRESS.contains(listen);
        if (!any) {
            hosts.add(listen);
        }
        for (String origin : extraOrigins) {
            String host = URI.create(origin).getHost();
            if (host != null) {
                hosts.add(bare(host));
            }
        }
        allowedHosts.forEach(h -> hosts.add(bare(h)));
        return new WebSecurity(extraOrigins, https, Set.copyOf(hosts), any);
    }

    /** 421 for a Host header that is not one of the console's names. */
    public void host(RoutingContext ctx) {
        // authority(): the Host header in HTTP/1.1, :authority in HTTP/2. None (HTTP/1.0) is not a browser.
        HostAndPort authority = ctx.request().authority();
        if (authority != null) {
            String host = bare(authority.host());
            if (!hosts.contains(host) && !(anyAddress && isAddress(host))) {
                throw new ApiException(421, "this console does not answer to the name '" + printable(authority.host())
                        + "'; add it to console.allowedHosts if it is really yours");
            }
        }
        ctx.next();
    }

    public void headers(RoutingContext ctx) {
        var h = ctx.response().headers();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        if (https) {
            h.set("Strict-Transport-Security", "max-age=31536000");
        }
        if (ctx.request().path().startsWith("/api/")) {
            h.set("Cache-Control", "no-store");
        }
        ctx.next();
    }

    public void csrf(RoutingContext ctx) {
        HttpMethod m = ctx.request().method();
        if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) {
            ctx.next();
            return;
        }
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !ownOrigin(ctx, origin)) {
            throw ApiException.forbidden("cross-origin request refused (Origin " + origin + ")");
        }
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (origin == null && site != null) {
            String s = site.toLowerCase(Locale.ROOT);
            if (s.equals("cross-site") || s.equals("same-site")) {
                throw ApiException.forbidden("cross-site request refused (Sec-Fetch-Site " + site + ")");
            }
        }
        String type = ctx.request().getHeader("Content-Type");
        if (!Http.isJson(type)) {
            throw new ApiException(415, "a state change must be sent as Content-Type: application/json (with {} "
                    + "when there is nothing to say), got " + (type == null ? "no Content-Type" : "'" + type + "'"));
        }
        ctx.next();
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-f:.]+"));
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return cut.replaceAll("[^\\x21-\\x7e…]", "?");
    }

    private boolean ownOrigin(RoutingContext ctx, String origin) {
        if (extraOrigins.contains(origin)) {
            return true;
        }
        // authority(): the Host header in HTTP/1.1, :authority in HTTP/2 (which has no Host header).
        var authority = ctx.request().authority();
        if (authority == null) {
            return false;
        }
        String host = authority.host() + (authority.port() > 0 ? ":" + authority.port() : "");
        return origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host);
    }
}
