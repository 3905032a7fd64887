package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The agent's metric names as Prometheus sees them, linted by the real promtool. */
class DomainMetricsIT {

    private static DomainMetrics.DomainSample sample(String name, long cpuNanos) {
        return new DomainMetrics.DomainSample("default", name,
            new DomainInfo(3, name, UUID.randomUUID(), DomainState.RUNNING, cpuNanos, 2, 512L << 20, 1024L << 20, true));
    }

    @Test
    void exportsPerDomainAndHostSeriesUnderPrometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "edge-1");
        metrics.recordHost(new HostInfo(4, 8L << 30, 6L << 30, 42_000_000_000L));
        metrics.recordDomains(List.of(sample("vyos", 1_500_000_000L)));
        metrics.recordPhases(Map.of("default/vyos", "Running"));
        metrics.reconciled(metrics.startReconcile(), "CreatePaused", "success");
        metrics.bootAttempted();

        String text = registry.scrape();

        assertThat(text)
            .contains("domainoperator_domain_cpu_seconds_total{domain_namespace=\"default\",name=\"vyos\",node=\"edge-1\"} 1.5")
            .contains("domainoperator_domain_memory_bytes{domain_namespace=\"default\",name=\"vyos\",node=\"edge-1\"} 5.36870912E8")
            .contains("domainoperator_domain_memory_max_bytes{")
            .contains("domainoperator_domain_vcpus{")
            .contains("domainoperator_domain_phase{domain_namespace=\"default\",name=\"vyos\",node=\"edge-1\",phase=\"Running\"} 1.0")
            .contains("domainoperator_host_cpu_seconds_total{node=\"edge-1\"} 42.0")
            .contains("domainoperator_host_memory_total_bytes{node=\"edge-1\"}")
            .contains("domainoperator_host_memory_free_bytes{node=\"edge-1\"}")
            .contains("domainoperator_reconcile_duration_seconds_bucket{")
            .contains("domainoperator_reconciles_total{node=\"edge-1\",operation=\"CreatePaused\",result=\"success\"} 1.0")
            .contains("domainoperator_boot_attempts_total{node=\"edge-1\"} 1.0");
    }

    @Test
    void theReconcileHistogramHasItsTenSloBucketsPerSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "edge-1");
        metrics.reconciled(metrics.startReconcile(), "Unpause", "success");

        List<String> buckets = registry.scrape().lines()
            .filter(l -> l.startsWith("domainoperator_reconcile_duration_seconds_bucket{")).toList();

        assertThat(buckets).as("ten bounds and +Inf").hasSize(DomainMetrics.RECONCILE_BUCKETS.length + 1)
            .anyMatch(l -> l.contains("le=\"0.005\""))
            .anyMatch(l -> l.contains("le=\"60.0\""))
            .anyMatch(l -> l.contains("le=\"+Inf\""));
    }

    @Test
    void restartsCountPerDomainAndGoWithTheDomain() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "edge-1");
        metrics.domainRestarted("default/vyos");
        metrics.domainRestarted("default/vyos");
        metrics.domainRestarted("lab/vyos");

        assertThat(registry.scrape())
            .contains("domainoperator_domain_restarts_total{domain_namespace=\"default\",name=\"vyos\",node=\"edge-1\"} 2.0")
            .contains("domainoperator_domain_restarts_total{domain_namespace=\"lab\",name=\"vyos\",node=\"edge-1\"} 1.0");

        metrics.forgetDomain("default/vyos");

        assertThat(registry.scrape()).doesNotContain("domain_namespace=\"default\"").contains("domain_namespace=\"lab\"");
    }

    @Test
    void everyProcessRegistryCarriesJvmAndProcessMeters() {
        String text = MeterRegistries.prometheus().scrape();

        assertThat(text).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
            "process_uptime_seconds ", "system_cpus ", "jvm_gc_");
    }

    @Test
    void aVanishedDomainLeavesNoSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "edge-1");
        metrics.recordDomains(List.of(sample("a", 1), sample("b", 2)));
        metrics.recordDomains(List.of(sample("b", 3)));

        assertThat(registry.scrape()).doesNotContain("name=\"a\"").contains("name=\"b\"");
    }

    @Test
    void promtoolFindsNothingToComplainAbout() throws Exception {
        Path promtool = Promtool.find().orElse(null);
        assumeTrue(promtool != null, "promtool is absent: .ci/setup.d/50-prometheus.sh unpacks it from Debian's prometheus package");
        // The registry every process serves: JVM and process meters included.
        PrometheusMeterRegistry registry = MeterRegistries.prometheus();
        DomainMetrics metrics = new DomainMetrics(registry, "edge-1");
        metrics.recordHost(new HostInfo(4, 8L << 30, 6L << 30, 42_000_000_000L));
        metrics.recordDomains(List.of(sample("vyos", 1_500_000_000L)));
        metrics.recordPhases(Map.of("default/vyos", "Running"));
        metrics.reconciled(metrics.startReconcile(), "Unpause", "success");
        metrics.domainRestarted("default/vyos");
        metrics.bootAttempted();
        metrics.bootFailed();
        metrics.shutdownForced();
        metrics.statusWritten();

        assertThat(Promtool.checkMetrics(promtool, registry.scrape())).isEmpty();
    }
}
