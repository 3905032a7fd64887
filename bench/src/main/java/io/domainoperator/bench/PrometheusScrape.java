package io.domainoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The agent's /metrics scraped as users scrape it: by a real Prometheus (Debian's 2.42, which .ci/setup.d unpacks),
 * every {@link #INTERVAL}, and its own {@code scrape_duration_seconds} read back (P50, P99, max over the scrapes).
 * The time is the scraper's, from request to the last sample parsed, not that of a JVM client reading 700 KiB into a
 * byte array, whose garbage and pauses the bench's back-to-back GETs also count.
 *
 * @param binary the prometheus server
 */
record PrometheusScrape(Path binary) {
    static final Duration INTERVAL = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Scrape figures, or why none were taken. */
    record Result(int scrapes, double p50Millis, double p99Millis, double maxMillis, String problem) {
        static Result none(String why) {
            return new Result(0, Double.NaN, Double.NaN, Double.NaN, why);
        }
    }

    /** The server from the project's cache, else the system's; empty when neither is there. */
    static Optional<PrometheusScrape> locate() {
        String cache = Optional.ofNullable(System.getenv("DOMAIN_OPERATOR_CACHE"))
            .orElse(System.getProperty("user.home") + "/.cache/domain-operator");
        return Optional.of(Path.of(cache, "prometheus/bin/prometheus")).filter(Files::isExecutable)
            .or(() -> Optional.of(Path.of("/usr/bin/prometheus")).filter(Files::isExecutable))
            .map(PrometheusScrape::new);
    }

    /** Runs a Prometheus that scrapes {@code 127.0.0.1:metricsPort} until it has {@code scrapes} scrapes, then asks it. */
    Result measure(int metricsPort, int scrapes, Path workDir) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(workDir, "prometheus-");
        Files.writeString(dir.resolve("prometheus.yml"), """
            global:
              scrape_interval: %dms
              scrape_timeout: %dms
            scrape_configs:
              - job_name: agent
                static_configs:
                  - targets: ['127.0.0.1:%d']
            """.formatted(INTERVAL.toMillis(), INTERVAL.toMillis(), metricsPort));
        int port = AgentUnderTest.freePort();
        Process server = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + INTERVAL.multipliedBy(scrapes * 3L).plusSeconds(60).toNanos();
            String window = "[10m]";
            double count = 0;
            while (count < scrapes) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    return Result.none("prometheus took " + (int) count + " of " + scrapes + " scrapes; its log: "
                        + dir.resolve("prometheus.log"));
                }
                Thread.sleep(INTERVAL.toMillis());
                count = query(http, port, "count_over_time(scrape_duration_seconds{job=\"agent\"}" + window + ")");
            }
            double up = query(http, port, "min_over_time(up{job=\"agent\"}" + window + ")");
            if (up < 1) {
                return Result.none("a scrape failed (up was 0); prometheus log: " + dir.resolve("prometheus.log"));
            }
            return new Result((int) count,
                1000 * query(http, port, "quantile_over_time(0.5, scrape_duration_seconds{job=\"agent\"}" + window + ")"),
                1000 * query(http, port, "quantile_over_time(0.99, scrape_duration_seconds{job=\"agent\"}" + window + ")"),
                1000 * query(http, port, "max_over_time(scrape_duration_seconds{job=\"agent\"}" + window + ")"), null);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** One instant query's single value; 0 while the server does not answer yet or the series has no sample. */
    private static double query(HttpClient http, int port, String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            return 0; // not listening yet
        }
        if (r.statusCode() != 200) {
            return 0;
        }
        JsonNode result = JSON.readTree(r.body()).path("data").path("result");
        return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
