package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's /metrics writes the per-domain families from held lines and the rest from the registry: the served
 * per-domain series are exactly those the registry's own scrape renders (names, labels, values, HELP, TYPE), each
 * family once, and they follow every change: a new value, a new phase, a vanished or forgotten domain.
 */
class ServedMetricsTest {
    private static final String NODE = "edge \"1\"\\a"; // a node name with characters the text format escapes

    private static DomainMetrics.DomainSample sample(String ns, String name, int vcpus, long cpuNanos) {
        return new DomainMetrics.DomainSample(ns, name, new DomainInfo(7, name, new UUID(0, name.hashCode()),
            DomainState.RUNNING, cpuNanos, vcpus, 512L << 20, 1L << 30, true));
    }

    private static String served(MetricsServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return r.body();
    }

    /** The per-domain families' lines, HELP and TYPE included, in a comparable order. */
    private static List<String> perDomain(String text) {
        return text.lines().filter(l -> l.contains("domainoperator_domain_")).sorted().toList();
    }

    private static long count(String text, String line) {
        return text.lines().filter(line::equals).count();
    }

    @Test
    void servesThePerDomainSeriesTheRegistryRendersAndFollowsTheirChanges() throws Exception {
        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        DomainMetrics metrics = new DomainMetrics(registry, NODE);
        metrics.recordHost(new HostInfo(4, 8L << 30, 6L << 30, 42_000_000_000L));
        metrics.recordDomains(List.of(sample("lab", "a", 1, 1_000_000_000L), sample("lab", "b", 2, 0),
            sample("prod", "a", 4, 3_500_000_000L)));
        metrics.recordPhases(Map.of("lab/a", "Running", "lab/b", "Booting", "prod/a", "Running"));
        metrics.domainRestarted("prod/a");
        metrics.reconciled(metrics.startReconcile(), "Unpause", "success");

        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, registry, metrics, () -> new MetricsServer.Readiness(true, "ok\n"))) {
            String text = served(server);
            assertThat(perDomain(text)).isEqualTo(perDomain(registry.scrape()));
            assertThat(text).contains("domainoperator_domain_cpu_seconds_total{domain_namespace=\"prod\",name=\"a\",node=\"edge \\\"1\\\"\\\\a\"} 3.5")
                .contains("domainoperator_domain_phase{domain_namespace=\"lab\",name=\"b\",node=\"edge \\\"1\\\"\\\\a\",phase=\"Booting\"} 1.0")
                .as("the registry's own meters are served too").contains("domainoperator_host_cpus{")
                .contains("domainoperator_reconcile_duration_seconds_bucket{").contains("jvm_memory_used_bytes{");
            for (String family : List.of("domainoperator_domain_vcpus", "domainoperator_domain_memory_bytes",
                "domainoperator_domain_memory_max_bytes", "domainoperator_domain_phase")) {
                assertThat(count(text, "# TYPE " + family + " gauge")).as(family + " once").isEqualTo(1);
            }
            for (String family : List.of("domainoperator_domain_cpu_seconds_total", "domainoperator_domain_restarts_total")) {
                assertThat(count(text, "# TYPE " + family + " counter")).as(family + " once").isEqualTo(1);
            }

            // A poll: lab/a's CPU and vCPUs move, lab/b is gone, prod/a unchanged; lab/a boots again.
            metrics.recordDomains(List.of(sample("lab", "a", 3, 2_250_000_000L), sample("prod", "a", 4, 3_500_000_000L)));
            metrics.recordPhase("lab/a", "Booting");
            metrics.recordPhase("lab/b", null);
            metrics.forgetDomain("prod/a");
            text = served(server);
            assertThat(perDomain(text)).isEqualTo(perDomain(registry.scrape()));
            assertThat(text).contains("domainoperator_domain_cpu_seconds_total{domain_namespace=\"lab\",name=\"a\",node=\"edge \\\"1\\\"\\\\a\"} 2.25")
                .contains("domainoperator_domain_vcpus{domain_namespace=\"lab\",name=\"a\",node=\"edge \\\"1\\\"\\\\a\"} 3.0")
                .contains("domainoperator_domain_phase{domain_namespace=\"lab\",name=\"a\",node=\"edge \\\"1\\\"\\\\a\",phase=\"Booting\"} 1.0")
                .doesNotContain("domain_namespace=\"lab\",name=\"a\",node=\"edge \\\"1\\\"\\\\a\",phase=\"Running\"").doesNotContain("name=\"b\"")
                .as("a forgotten domain's restart count goes").doesNotContain("domainoperator_domain_restarts_total{domain_namespace=\"prod\"");

            // Every domain gone: its families go, HELP and TYPE included, as the registry's scrape has them.
            metrics.recordDomains(List.of());
            metrics.recordPhases(Map.of());
            metrics.forgetDomain("lab/a");
            text = served(server);
            assertThat(perDomain(text)).isEmpty();
            assertThat(perDomain(registry.scrape())).isEmpty();
        }
    }

    @Test
    void theRegistryScrapeLeavingThePerDomainFamiliesOutBuildsNone() {
        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        DomainMetrics metrics = new DomainMetrics(registry, "n1");
        metrics.recordDomains(List.of(sample("lab", "a", 1, 0)));
        assertThat(registry.getPrometheusRegistry().scrape(n -> !DomainFamilies.includesAny(n::equals)).stream()
            .map(s -> s.getMetadata().getName())).isNotEmpty().noneMatch(n -> n.startsWith("domainoperator_domain_"));
        assertThat(DomainFamilies.includesAny("domainoperator_domain_cpu_seconds"::equals)).isTrue();
        assertThat(Stream.of("domainoperator_host_cpus", "jvm_memory_used_bytes"))
            .noneMatch(n -> DomainFamilies.includesAny(n::equals));
    }
}
