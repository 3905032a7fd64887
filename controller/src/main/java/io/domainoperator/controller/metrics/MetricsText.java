package io.domainoperator.controller.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Predicate;

/**
 * The text /metrics serves: the registry's families (Micrometer's meters: JVM, JOSDK, the agent's counters and
 * histograms; a few hundred series whatever the domain count) through the client library's writer, then, on an
 * agent, the per-domain families from the lines {@link DomainFamilies} holds. The registry's own scrape leaves those
 * families out (their collector builds nothing then), so each appears once; callers of
 * {@link PrometheusMeterRegistry#scrape()} still get them from the collector.
 */
final class MetricsText {
    private final PrometheusRegistry registry;
    private final DomainFamilies domains;
    private final Predicate<String> notPerDomain;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** @param domains the agent's per-domain families, or null (the cluster controller has none) */
    MetricsText(PrometheusMeterRegistry registry, DomainFamilies domains) {
        this.registry = registry.getPrometheusRegistry();
        this.domains = domains;
        this.notPerDomain = domains == null ? null : name -> !DomainFamilies.includesAny(name::equals);
    }

    /** Writes the whole exposition to {@code out} (not closed; flushed by the writer). */
    void writeTo(OutputStream out) throws IOException {
        MetricSnapshots snapshots = domains == null ? registry.scrape() : registry.scrape(notPerDomain);
        writer.write(out, snapshots);
        if (domains != null) {
            domains.writeTo(out);
        }
    }
}
