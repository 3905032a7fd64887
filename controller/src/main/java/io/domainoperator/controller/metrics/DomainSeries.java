package io.domainoperator.controller.metrics;

import io.domainoperator.hypervisor.DomainInfo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One domain's series (vCPUs, memory, maximum memory, CPU time), registered once when the domain first appears
 * and then only updated: a poll costs a few stores per domain, never a re-registration of every series.
 */
final class DomainSeries {
    private final AtomicLong vcpus = new AtomicLong();
    private final AtomicLong memory = new AtomicLong();
    private final AtomicLong maxMemory = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final List<Meter> meters;

    DomainSeries(MeterRegistry registry, Tags tags) {
        meters = List.of(
            Gauge.builder("domainoperator.domain.vcpus", vcpus, AtomicLong::get).description("Online virtual CPUs of the domain")
                .tags(tags).register(registry),
            Gauge.builder("domainoperator.domain.memory", memory, AtomicLong::get).baseUnit("bytes")
                .description("Memory allocated to the domain").tags(tags).register(registry),
            Gauge.builder("domainoperator.domain.memory.max", maxMemory, AtomicLong::get).baseUnit("bytes")
                .description("Maximum memory of the domain").tags(tags).register(registry),
            FunctionCounter.builder("domainoperator.domain.cpu", cpuNanos, v -> v.get() / 1e9).baseUnit("seconds")
                .description("vCPU time consumed by the domain, all vCPUs").tags(tags).register(registry));
    }

    void update(DomainInfo info) {
        vcpus.set(info.vcpus());
        memory.set(info.memoryBytes());
        maxMemory.set(info.maxMemoryBytes());
        cpuNanos.set(info.cpuTimeNanos());
    }

    void remove(MeterRegistry registry) {
        meters.forEach(registry::remove);
    }
}
