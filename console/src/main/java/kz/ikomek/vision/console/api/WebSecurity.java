package kz.ikomek.vision.console.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Security headers on every answer, and the CSRF check on every state-changing request.
 *
 * <p>CSRF: the session cookie is SameSite=Strict, so browsers do not attach it to requests started by other
 * sites. On top, every POST is refused (403) when the browser says it came from elsewhere: an {@code Origin}
 * header that is not this console's own origin, or {@code Sec-Fetch-Site} of cross-site/same-site. Requests with
 * neither header are not from a browser page (curl, scripts, tests) and cannot carry a victim's cookie by
 * accident, so they pass. JSON bodies must also say {@code Content-Type: application/json}, which a plain HTML
 * form cannot send across origins without a CORS preflight this server never grants.
 */
public final class WebSecurity {

    /**
     * No inline scripts or styles, nothing from other origins, no framing (clickjacking), no plugins. Images also
     * from {@code data:} for the small inline icons of the page.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final Set<String> extraOrigins;
    private final boolean https;

    /** @param extraOrigins origins besides the request's own host that may post (e.g. a reverse proxy's name) */
    public WebSecurity(Set<String> extraOrigins, boolean https) {
        this.extraOrigins = extraOrigins;
        this.https = https;
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
        ctx.next();
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
