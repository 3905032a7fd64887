package io.domainoperator.controller.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus registry every process serves, with help text on every series (promtool insists), and the JVM and
 * process meters users expect next to {@code operator_sdk_*} ({@code jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds},
 * {@code process_cpu_usage}, {@code process_uptime_seconds}, ...).
 */
public final class MeterRegistries {
    private MeterRegistries() {
    }

    public static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // java-operator-sdk registers its meters without descriptions; give them one naming their origin.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getDescription() != null) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(),
                    "java-operator-sdk: " + id.getName().replace('.', ' '), id.getType());
            }
        });
        // Two of ProcessorMetrics' names fail `promtool check metrics`: system_cpu_count ends in _count like a
        // histogram's part (renamed to system_cpus), and process_cpu_time_ns_total counts nanoseconds (dropped:
        // process_cpu_usage says the same, and relabelling the unit would mislabel the values).
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // Closed with the process: it listens for GC notifications for as long as the registry is served.
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }
}
