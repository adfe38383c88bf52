package kz.ikomek.vision.console.api;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import kz.ikomek.vision.console.auth.Session;
import kz.ikomek.vision.console.pool.WorkerPool;

/** Small helpers every route uses: JSON answers, JSON errors, query parsing, and running blocking work. */
public final class Http {

    static final String SESSION = "ikomek.session";
    static final String JSON = "application/json; charset=utf-8";

    private Http() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON)
                .end(body instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(body));
    }

    public static void error(RoutingContext ctx, int status, String reason) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        json(ctx, status, new JsonObject().put("status", status).put("error", reason));
    }

    static Session session(RoutingContext ctx) {
        Session s = ctx.get(SESSION);
        if (s == null) {
            throw new ApiException(401, "log in first (POST /api/login)");
        }
        return s;
    }

    static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    /**
     * The request's JSON object body; an empty body is an empty object (bodies are optional for actions).
     * Anything else than a JSON object, or JSON sent under another content type, is a 400 with the reason.
     */
    static JsonObject jsonBody(RoutingContext ctx) {
        // No body at all (length -1) or an empty one: actions take their body as optional.
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
            return new JsonObject();
        }
        String type = ctx.request().getHeader("Content-Type");
        if (!isJson(type)) {
            throw new ApiException(415, "the body must be JSON with Content-Type: application/json, got "
                    + (type == null ? "no Content-Type" : "'" + type + "'"));
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (parsed instanceof JsonObject o) {
                return o;
            }
            throw ApiException.badRequest("the body must be a JSON object, got " + kind(parsed));
        } catch (DecodeException e) {
            throw ApiException.badRequest("malformed JSON body: " + firstLine(e.getMessage()));
        }
    }

    /** Exactly application/json, parameters (charset) aside: "application/jsonx" is another type. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return media.equalsIgnoreCase("application/json");
    }

    static String optionalString(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiException.badRequest("'" + field + "' must be a string, got " + kind(v));
        }
        return s;
    }

    static String query(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    static int intQuery(RoutingContext ctx, String name, int fallback, int min, int max) {
        String v = query(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number, got '" + v + "'");
        }
    }

    /**
     * Wraps a handler so that a refused request ({@link ApiException}) is answered at once, without the router
     * logging it as an unhandled failure with a stack trace.
     */
    public static io.vertx.core.Handler<RoutingContext> safe(io.vertx.core.Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (ApiException e) {
                error(ctx, e.status(), e.getMessage());
            }
        };
    }

    /** Runs {@code work} on a worker pool (RocksDB, bcrypt, the audit file all block) and answers with its result. */
    static <T> void blocking(RoutingContext ctx, WorkerPool workers, Callable<T> work, BiConsumer<RoutingContext, T> answer) {
        Future<T> f = workers.run(work);
        f.onSuccess(result -> {
            try {
                answer.accept(ctx, result);
            } catch (ApiException e) {
                error(ctx, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }).onFailure(e -> {
            if (e instanceof ApiException a) {
                error(ctx, a.status(), a.getMessage());
            } else if (e instanceof WorkerPool.PoolFullException busy) {
                ctx.response().putHeader("Retry-After", "5");
                error(ctx, 503, busy.getMessage() + "; try again in a few seconds");
            } else {
                ctx.fail(e);
            }
        });
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof io.vertx.core.json.JsonArray) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
