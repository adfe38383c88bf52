package kz.ikomek.vision.console.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import kz.ikomek.vision.console.audit.RefusalDigest;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.auth.Usernames;

/**
 * Audits every read a signed-in user was refused (403: another service's incident, a frame with vehicles, an
 * export, the audit log), so that probing shows in the audit log. State changes audit their own refusals with the
 * action and reason. Repeats go through the {@link RefusalDigest}, so probing cannot flood the log either.
 */
public final class ReadRefusals {

    private final RefusalDigest refusals;

    public ReadRefusals(RefusalDigest refusals) {
        this.refusals = refusals;
    }

    /** Mount after the session check. */
    public void mount(Router router) {
        router.route("/api/*").handler(this::watch);
    }

    private void watch(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.GET) {
            ctx.addHeadersEndHandler(v -> {
                Session s = ctx.get(Http.SESSION);
                if (ctx.response().getStatusCode() == 403 && s != null) {
                    refusals.refused(s.user().username(), Http.address(ctx), "read",
                            Usernames.escaped(ctx.request().path()), "denied", null);
                }
            });
        }
        ctx.next();
    }
}
