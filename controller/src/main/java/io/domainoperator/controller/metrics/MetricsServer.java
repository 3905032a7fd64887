package io.domainoperator.controller.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
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
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/metrics", ex -> respondMaybeGzipped(ex, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
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
     * Prometheus asks for gzip on every scrape; the text of a node with many domains shrinks about tenfold, which
     * matters on the edge links these nodes often sit behind.
     */
    private static void respondMaybeGzipped(HttpExchange ex, String contentType, String body) throws IOException {
        if (!acceptsGzip(ex.getRequestHeaders().getOrDefault("Accept-Encoding", List.of()))) {
            respond(ex, 200, contentType, body);
            return;
        }
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(body.getBytes(StandardCharsets.UTF_8));
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        ex.getResponseHeaders().set("Vary", "Accept-Encoding");
        ex.sendResponseHeaders(200, zipped.size());
        try (OutputStream out = ex.getResponseBody()) {
            zipped.writeTo(out);
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
