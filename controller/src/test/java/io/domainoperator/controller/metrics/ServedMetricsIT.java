package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** What the agent's /metrics streams (registry part, then the held per-domain lines) passes `promtool check metrics`, plain and gzipped. */
class ServedMetricsIT {
    @Test
    void theServedTextPassesPromtoolPlainAndGzipped() throws Exception {
        Path promtool = Promtool.find().orElse(null);
        assumeTrue(promtool != null, "promtool is absent: .ci/setup.d/50-prometheus.sh unpacks it from Debian's prometheus package");
        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        DomainMetrics metrics = new DomainMetrics(registry, "edge-1");
        metrics.recordHost(new HostInfo(4, 8L << 30, 6L << 30, 42_000_000_000L));
        metrics.recordDomains(IntStream.range(0, 50).mapToObj(i -> new DomainMetrics.DomainSample("lab", "d" + i,
            new DomainInfo(i + 1, "d" + i, new UUID(0, i), DomainState.RUNNING, i * 1_000_000L, 1, 256L << 20, 256L << 20, true))).toList());
        metrics.recordPhases(Map.of("lab/d0", "Running", "lab/d1", "Booting"));
        metrics.domainRestarted("lab/d0");
        metrics.reconciled(metrics.startReconcile(), "Unpause", "success");

        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, registry, metrics, () -> new MetricsServer.Readiness(true, "ok\n"))) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            String plain = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            HttpResponse<byte[]> zipped = client.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String unzipped;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
                unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(plain.lines().filter(l -> l.startsWith("domainoperator_domain_vcpus{"))).hasSize(50);
            assertThat(Promtool.checkMetrics(promtool, plain)).isEmpty();
            // One promtool run (CI time): the gzipped text carries the same families, and its gzip stream is whole.
            assertThat(unzipped.lines().filter(l -> l.startsWith("# TYPE ")).toList())
                .isEqualTo(plain.lines().filter(l -> l.startsWith("# TYPE ")).toList());
            assertThat(perDomain(unzipped)).isEqualTo(perDomain(plain));
        }
    }

    private static List<String> perDomain(String text) {
        return text.lines().filter(l -> l.startsWith("domainoperator_domain_")).toList();
    }
}
