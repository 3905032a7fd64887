package io.domainoperator.controller.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Serves /metrics (Prometheus text format), /healthz (the process lives) and /readyz (the loop runs). */
public final class MetricsServer implements AutoCloseable {
    /** Of the stream a scrape is written through: the lines are ~100 bytes, the server's own stream writes 4 KiB chunks. */
    private static final int BUFFER = 32 * 1024;
    private final HttpServer server;

    /** What /readyz answers: 200 or 503, and the text saying why. */
    public record Readiness(boolean ready, String text) {
    }

    public MetricsServer(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
        throws IOException {
        this(host, port, registry, () -> ready.getAsBoolean() ? new Readiness(true, "ok\n")
            : new Readiness(false, "not ready: the reconcile loop has not started\n"));
    }

    public MetricsServer(String host, int port, PrometheusMeterRegistry registry, Supplier<Readiness> readiness)
        throws IOException {
        this(host, port, new MetricsText(registry, null), readiness);
    }

    /** The agent's server: its per-domain families are written from the lines {@code domains} holds. */
    public MetricsServer(String host, int port, PrometheusMeterRegistry registry, DomainMetrics domains,
                         Supplier<Readiness> readiness) throws IOException {
        this(host, port, new MetricsText(registry, domains.families()), readiness);
    }

    private MetricsServer(String host, int port, MetricsText metrics, Supplier<Readiness> readiness) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        // Platform threads, reused: on a virtual thread the JDK's BufferedWriter (which the client library's text
        // writer wraps around the stream) starts at 512 chars and grows by each write's length up to 8 KiB, copying
        // the buffer every time: ~7 MB of garbage per scrape, whatever the domain count. Cached: a slow client
        // still holds only its own thread.
        server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().name("metrics-http-", 0).daemon().factory()));
        server.createContext("/metrics", ex -> respondStreamed(ex, metrics));
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            Readiness r = readiness.get();
            respond(ex, r.ready() ? 200 : 503, "text/plain", r.text());
        });
        server.start();
    }

    /** The bound port (useful when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Streams the text (chunked; HTTP/1.0 clients get it up to the close) instead of building it whole: at 1,000
     * domains the whole text, its String and its bytes were megabytes of garbage per scrape. Prometheus asks for gzip
     * on every scrape; the text of a node with many domains shrinks about tenfold, which matters on the edge links
     * these nodes often sit behind.
     */
    private static void respondStreamed(HttpExchange ex, MetricsText metrics) throws IOException {
        boolean gzip = acceptsGzip(ex.getRequestHeaders().getOrDefault("Accept-Encoding", List.of()));
        ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        if (gzip) {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.getResponseHeaders().set("Vary", "Accept-Encoding");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream body = ex.getResponseBody();
             OutputStream out = new BufferedOutputStream(gzip ? new GZIPOutputStream(body, BUFFER) : body, BUFFER)) {
            metrics.writeTo(out);
        }
    }

    /** Whether an Accept-Encoding header lists gzip with a non-zero weight ({@code gzip;q=0} refuses it). */
    static boolean acceptsGzip(List<String> headers) {
        for (String header : headers) {
            for (String coding : header.split(",")) {
                String[] parts = coding.strip().split(";");
                if (!parts[0].strip().equalsIgnoreCase("gzip")) {
                    continue;
                }
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].strip().replace(" ", "");
                    if (param.startsWith("q=")) {
                        refused = weight(param.substring(2)) == 0;
                    }
                }
                if (!refused) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double weight(String q) {
        try {
            return Double.parseDouble(q);
        } catch (NumberFormatException e) {
            return 1; // a malformed weight is ignored, as RFC 9110 lets a server do
        }
    }

    private static void respond(HttpExchange ex, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
