package io.domainoperator.e2e.harness;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One fault {@link ApiFaultProxy} injects: the requests it applies to and the error status the proxy answers them
 * with itself, instead of the API server, for the next {@code times} matching requests.
 */
public final class ApiFault {

    /** A request as the proxy sees it: method, path and query (null when absent). */
    public record Request(String method, String path, String query) {
        /** A watch: {@code ?watch=true} (or 1), or the old {@code /watch/} paths. */
        public boolean isWatch() {
            return query != null && (query.contains("watch=true") || query.contains("watch=1")) || path.contains("/watch/");
        }

        public boolean writes() {
            return !method.equals("GET") && !method.equals("HEAD");
        }
    }

    private final String name;
    private final Predicate<Request> matches;
    private final int status;
    private final AtomicInteger left;
    private final AtomicInteger injected = new AtomicInteger();

    private ApiFault(String name, Predicate<Request> matches, int status, int times) {
        this.name = name;
        this.matches = matches;
        this.status = status;
        this.left = new AtomicInteger(times);
    }

    /** The next {@code times} requests {@code which} selects are answered with {@code status} (409, 500, 503, ...). */
    public static ApiFault answer(String name, Predicate<Request> which, int status, int times) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a fault answers with an error status, 4xx or 5xx: " + status);
        }
        return new ApiFault(name, which, status, times);
    }

    /** Status writes ({@code PUT} or {@code PATCH} of the status subresource) of one kind, e.g. "domainconfigs". */
    public static Predicate<Request> statusWrite(String plural) {
        return r -> (r.method().equals("PUT") || r.method().equals("PATCH"))
                && r.path().contains("/" + plural + "/") && r.path().endsWith("/status");
    }

    /** Event creations, core/v1 or events.k8s.io. */
    public static Predicate<Request> eventCreate() {
        return r -> r.method().equals("POST") && r.path().endsWith("/events");
    }

    /** Takes one injection if this fault applies to {@code request}. */
    boolean claim(Request request) {
        if (!matches.test(request)) {
            return false;
        }
        if (left.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
            return false;
        }
        injected.incrementAndGet();
        return true;
    }

    int status() {
        return status;
    }

    /** How many requests this fault answered so far. */
    public int injected() {
        return injected.get();
    }

    /** How many it still will. */
    public int left() {
        return left.get();
    }

    /** The body of the answer: a {@code Status} object as the API server writes one, so clients parse it as theirs. */
    String body() {
        String reason = switch (status) {
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "Unknown";
        };
        return """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"%s: injected by ApiFaultProxy (%s)","reason":"%s","code":%d}"""
                .formatted(reason.toLowerCase(Locale.ROOT), name, reason, status);
    }

    @Override
    public String toString() {
        return name + " (" + status + ", " + injected() + " injected, " + left() + " left)";
    }
}
