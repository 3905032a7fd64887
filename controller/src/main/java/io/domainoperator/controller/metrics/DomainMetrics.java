package io.domainoperator.controller.metrics;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's Prometheus metrics. Names follow Prometheus conventions once the registry renders them:
 * {@code domainoperator_domain_cpu_seconds_total}, {@code domainoperator_domain_memory_bytes}, ...
 * Per-domain series carry domain_namespace, name and node and disappear when the domain does.
 */
public final class DomainMetrics {
    /**
     * The label of a domain's (its DomainConfig's) namespace. Not {@code namespace}: a Kubernetes scrape (the
     * chart's ServiceMonitor under the Prometheus Operator, honor_labels false) sets {@code namespace} to the
     * agent pod's namespace and would move the domain's to {@code exported_namespace}, merging same-named domains
     * of different namespaces on the dashboard. kube-prometheus-stack users rely on {@code namespace} being the
     * scraped pod's (dashboards, alert routing, per-namespace access), so the agent leaves that label to the scrape.
     */
    public static final String DOMAIN_NAMESPACE = "domain_namespace";
    /**
     * Bucket bounds of the reconcile histogram. Micrometer's own percentile histogram exports 88 buckets per
     * (operation, result) series, most of them empty; these ten cover a decision (milliseconds) up to a copy of a
     * disk image or a slow create (a minute), which is what the dashboard's quantiles need.
     */
    public static final Duration[] RECONCILE_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(10), Duration.ofSeconds(60)};
    private final MeterRegistry registry;
    private final String node;
    private final MultiGauge vcpus;
    private final MultiGauge memory;
    private final MultiGauge maxMemory;
    private final MultiGauge phase;
    private final Map<String, AtomicLong> cpuNanos = new ConcurrentHashMap<>();
    private final Map<String, FunctionCounter> cpuCounters = new ConcurrentHashMap<>();
    private final AtomicLong hostCpuNanos = new AtomicLong();
    private final AtomicLong hostMemoryTotal = new AtomicLong();
    private final AtomicLong hostMemoryFree = new AtomicLong();
    private final AtomicLong hostCpus = new AtomicLong();
    private final AtomicLong queueDepth = new AtomicLong();
    private final Counter bootAttempts;
    private final Counter bootFailures;
    private final Counter forcedShutdowns;
    private final Counter statusWrites;

    /** A domain as the last poll saw it, with its owner's identity. */
    public record DomainSample(String namespace, String name, DomainInfo info) {
    }

    public DomainMetrics(MeterRegistry registry, String node) {
        this.registry = registry;
        this.node = node;
        vcpus = MultiGauge.builder("domainoperator.domain.vcpus").description("Online virtual CPUs of the domain").register(registry);
        memory = MultiGauge.builder("domainoperator.domain.memory").baseUnit("bytes").description("Memory allocated to the domain").register(registry);
        maxMemory = MultiGauge.builder("domainoperator.domain.memory.max").baseUnit("bytes").description("Maximum memory of the domain").register(registry);
        phase = MultiGauge.builder("domainoperator.domain.phase").description("1 for the domain's current phase (status.phase)").register(registry);
        Tags nodeTag = Tags.of("node", node);
        FunctionCounter.builder("domainoperator.host.cpu", hostCpuNanos, n -> n.get() / 1e9).baseUnit("seconds")
            .description("CPU time consumed by the host (dom0)").tags(nodeTag).register(registry);
        Gauge.builder("domainoperator.host.memory.total", hostMemoryTotal, AtomicLong::get).baseUnit("bytes")
            .description("Memory the hypervisor manages").tags(nodeTag).register(registry);
        Gauge.builder("domainoperator.host.memory.free", hostMemoryFree, AtomicLong::get).baseUnit("bytes")
            .description("Memory not given to any domain").tags(nodeTag).register(registry);
        Gauge.builder("domainoperator.host.cpus", hostCpus, AtomicLong::get)
            .description("Physical CPUs available to domains").tags(nodeTag).register(registry);
        Gauge.builder("domainoperator.reconcile.queue.depth", queueDepth, AtomicLong::get)
            .description("Domains whose reconcile is running or waiting").tags(nodeTag).register(registry);
        bootAttempts = Counter.builder("domainoperator.boot.attempts").description("Domain boots attempted").tags(nodeTag).register(registry);
        bootFailures = Counter.builder("domainoperator.boot.failures").description("Domain boots that failed").tags(nodeTag).register(registry);
        forcedShutdowns = Counter.builder("domainoperator.shutdowns.forced").description("Domains destroyed after the graceful shutdown timed out").tags(nodeTag).register(registry);
        statusWrites = Counter.builder("domainoperator.status.writes").description("Status subresource writes").tags(nodeTag).register(registry);
    }

    public void recordHost(HostInfo host) {
        hostCpuNanos.set(host.cpuTimeNanos());
        hostMemoryTotal.set(host.totalMemoryBytes());
        hostMemoryFree.set(host.freeMemoryBytes());
        hostCpus.set(host.cpus());
    }

    /** Replaces the per-domain series with what the last poll saw. */
    public void recordDomains(List<DomainSample> samples) {
        List<MultiGauge.Row<?>> vcpuRows = new ArrayList<>();
        List<MultiGauge.Row<?>> memRows = new ArrayList<>();
        List<MultiGauge.Row<?>> maxRows = new ArrayList<>();
        for (DomainSample s : samples) {
            Tags tags = tags(s.namespace(), s.name());
            vcpuRows.add(MultiGauge.Row.of(tags, s.info().vcpus()));
            memRows.add(MultiGauge.Row.of(tags, s.info().memoryBytes()));
            maxRows.add(MultiGauge.Row.of(tags, s.info().maxMemoryBytes()));
            String key = s.namespace() + "/" + s.name();
            restartCounter(key);
            cpuNanos.computeIfAbsent(key, k -> {
                AtomicLong value = new AtomicLong();
                cpuCounters.put(k, FunctionCounter.builder("domainoperator.domain.cpu", value, v -> v.get() / 1e9)
                    .baseUnit("seconds").description("vCPU time consumed by the domain, all vCPUs").tags(tags).register(registry));
                return value;
            }).set(s.info().cpuTimeNanos());
        }
        vcpus.register(vcpuRows, true);
        memory.register(memRows, true);
        maxMemory.register(maxRows, true);
        var live = samples.stream().map(s -> s.namespace() + "/" + s.name()).collect(java.util.stream.Collectors.toSet());
        cpuCounters.keySet().removeIf(key -> {
            if (live.contains(key)) {
                return false;
            }
            registry.remove(cpuCounters.get(key));
            cpuNanos.remove(key);
            Counter unused = restarts.get(key);
            if (unused != null && unused.count() == 0) {
                // Only the zero we created at first sight goes with the domain; a real count stays until forgetDomain.
                restarts.remove(key, unused);
                registry.remove(unused);
            }
            return true;
        });
    }

    private final Map<String, String> phases = new ConcurrentHashMap<>();
    private final Map<String, Counter> restarts = new ConcurrentHashMap<>();

    /** The engine destroyed a crashed, rebooted or powered-off domain in order to boot it again (key "namespace/name"). */
    public void domainRestarted(String key) {
        restartCounter(key).increment();
    }

    /** A domain's restart counter, created at 0 when first seen so that increase() has a series from the start. */
    private Counter restartCounter(String key) {
        return restarts.computeIfAbsent(key, k -> {
            String[] nsName = k.split("/", 2);
            return Counter.builder("domainoperator.domain.restarts")
                .description("Restarts of the domain after a crash, reboot or poweroff whose policy is Restart")
                .tags(tags(nsName[0], nsName[1])).register(registry);
        });
    }

    /** The DomainConfig is gone: its restart series goes too. */
    public void forgetDomain(String key) {
        Counter counter = restarts.remove(key);
        if (counter != null) {
            registry.remove(counter);
        }
    }

    /** Records a DomainConfig's phase (key "namespace/name"); null forgets it. */
    public synchronized void recordPhase(String key, String phase) {
        if (phase == null) {
            phases.remove(key);
        } else if (phase.equals(phases.put(key, phase))) {
            return;
        }
        recordPhases(Map.copyOf(phases));
    }

    /** One row per DomainConfig: value 1 with its phase as a label. */
    public void recordPhases(Map<String, String> phaseByKey) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        phaseByKey.forEach((key, p) -> {
            String[] nsName = key.split("/", 2);
            rows.add(MultiGauge.Row.of(tags(nsName[0], nsName[1]).and("phase", p), 1));
        });
        phase.register(rows, true);
    }

    public Timer.Sample startReconcile() {
        queueDepth.incrementAndGet();
        return Timer.start(registry);
    }

    public void reconciled(Timer.Sample sample, String operation, String result) {
        queueDepth.decrementAndGet();
        sample.stop(Timer.builder("domainoperator.reconcile.duration").description("Time to decide and perform one operation")
            .tags("node", node, "operation", operation, "result", result)
            .serviceLevelObjectives(RECONCILE_BUCKETS).register(registry));
        Counter.builder("domainoperator.reconciles").description("Reconciles by the operation performed and its result")
            .tags("node", node, "operation", operation, "result", result).register(registry).increment();
    }

    public void bootAttempted() {
        bootAttempts.increment();
    }

    public void bootFailed() {
        bootFailures.increment();
    }

    public void shutdownForced() {
        forcedShutdowns.increment();
    }

    public void statusWritten() {
        statusWrites.increment();
    }

    private Tags tags(String namespace, String name) {
        return Tags.of(DOMAIN_NAMESPACE, namespace, "name", name, "node", node);
    }
}
