package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The per-domain families come from one collector holding each domain's data points: a poll that finds nothing
 * changed replaces no point, a changed value replaces that point only, and a
 * scrape rebuilds only the families whose points changed, and no Micrometer meter is made per
 * domain (the registry's meter count does not grow with the domains).
 */
class DomainFamiliesTest {
    private static DomainMetrics.DomainSample sample(int i, long cpuNanos) {
        return new DomainMetrics.DomainSample("ns", "d" + i,
            new DomainInfo(i + 1, "d" + i, new UUID(0, i), DomainState.RUNNING, cpuNanos, 1, 16L << 20, 16L << 20, true));
    }

    private static List<DomainMetrics.DomainSample> samples(int n, long cpuNanos) {
        return IntStream.range(0, n).mapToObj(i -> sample(i, cpuNanos)).toList();
    }

    @Test
    void aThousandDomainsAddNoMeterAndEveryFamilyHasOneLineEach() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "n1");
        int metersBefore = registry.getMeters().size();

        metrics.recordDomains(samples(1000, 1_000_000_000L));
        IntStream.range(0, 1000).forEach(i -> metrics.recordPhase("ns/d" + i, "Running"));

        assertThat(registry.getMeters()).hasSize(metersBefore);
        String text = registry.scrape();
        for (String family : List.of("domainoperator_domain_vcpus{", "domainoperator_domain_memory_bytes{",
            "domainoperator_domain_memory_max_bytes{", "domainoperator_domain_cpu_seconds_total{",
            "domainoperator_domain_restarts_total{", "domainoperator_domain_phase{")) {
            assertThat(text.lines().filter(l -> l.startsWith(family))).as(family).hasSize(1000);
        }
        assertThat(text).contains("# TYPE domainoperator_domain_cpu_seconds_total counter")
            .contains("# TYPE domainoperator_domain_vcpus gauge")
            .contains("domainoperator_domain_cpu_seconds_total{domain_namespace=\"ns\",name=\"d7\",node=\"n1\"} 1.0");
    }

    @Test
    void aPollReplacesOnlyThePointsWhoseValuesChanged() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "n1");
        metrics.recordDomains(samples(3, 5));
        List<DataPointSnapshot> first = points(registry);

        metrics.recordDomains(samples(3, 5));
        assertThat(points(registry)).as("nothing changed: the very same points").usingElementComparator(
            (a, b) -> a == b ? 0 : 1).containsExactlyInAnyOrderElementsOf(first);

        List<DomainMetrics.DomainSample> oneChanged = new ArrayList<>(samples(3, 5));
        oneChanged.set(1, sample(1, 2_000_000_000L));
        metrics.recordDomains(oneChanged);
        List<DataPointSnapshot> after = points(registry);
        assertThat(after.stream().filter(p -> first.stream().noneMatch(f -> f == p)))
            .as("only d1's CPU point is new").hasSize(1).allMatch(p -> "d1".equals(p.getLabels().get("name")));
        assertThat(registry.scrape()).as("a scrape after the change shows it")
            .contains("domainoperator_domain_cpu_seconds_total{domain_namespace=\"ns\",name=\"d1\",node=\"n1\"} 2.0");
    }

    private static List<DataPointSnapshot> points(PrometheusMeterRegistry registry) {
        List<DataPointSnapshot> out = new ArrayList<>();
        for (MetricSnapshot family : registry.getPrometheusRegistry().scrape(n -> n.startsWith("domainoperator_domain_"))) {
            if (!family.getMetadata().getName().equals("domainoperator_domain_restarts")) {
                out.addAll(family.getDataPoints());
            }
        }
        return out;
    }
}
