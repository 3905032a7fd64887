package io.domainoperator.controller.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus registry every process serves, with help text on every series (promtool insists). */
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
        return registry;
    }
}
