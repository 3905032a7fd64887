package io.domainoperator.controller.metrics;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** The per-domain families, rendered at scrape time from held data points (see {@link DomainFamilies}). */
    private final DomainFamilies families;
    private final Map<String, Timer> reconcileTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> reconcileCounters = new ConcurrentHashMap<>();

    private final AtomicLong hostCpuNanos = new AtomicLong();
    private final AtomicLong hostMemoryTotal = new AtomicLong();
    private final AtomicLong hostMemoryFree = new AtomicLong();
    private final AtomicLong hostCpus = new AtomicLong();
    private final AtomicLong queueDepth = new AtomicLong();
    private final Counter bootAttempts;
    private final Counter bootFailures;
    private final Counter forcedShutdowns;
    private final Counter statusWrites;
    private final Counter statusConflicts;

    /** A domain as the last poll saw it, with its owner's identity. */
    public record DomainSample(String namespace, String name, DomainInfo info) {
    }

    public DomainMetrics(MeterRegistry registry, String node) {
        this.registry = registry;
        this.node = node;
        this.families = new DomainFamilies(node);
        if (registry instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(families);
        }
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
        statusConflicts = Counter.builder("domainoperator.status.conflicts")
            .description("Status writes refused because the object changed meanwhile (409)").tags(nodeTag).register(registry);
    }

    public void recordHost(HostInfo host) {
        hostCpuNanos.set(host.cpuTimeNanos());
        hostMemoryTotal.set(host.totalMemoryBytes());
        hostMemoryFree.set(host.freeMemoryBytes());
        hostCpus.set(host.cpus());
    }

    /**
     * Sets the per-domain series to what the last poll saw: a domain's points are made when it first appears, replaced
     * when a value changes and dropped when it is gone ({@link DomainFamilies}).
     */
    public void recordDomains(List<DomainSample> samples) {
        Set<String> live = HashSet.newHashSet(samples.size());
        for (DomainSample s : samples) {
            String key = s.namespace() + "/" + s.name();
            live.add(key);
            families.restarted(key, 0);
            families.observed(key, s.info());
        }
        if (live.size() != families.observedKeys().size()) {
            for (String key : List.copyOf(families.observedKeys())) {
                if (!live.contains(key)) {
                    families.vanished(key);
                    if (families.restarts(key) == 0) {
                        // Only the zero made at first sight goes with the domain; a real count stays until forgetDomain.
                        families.forgetRestarts(key);
                    }
                }
            }
        }
    }

    /** The per-domain families, which the agent's {@link MetricsServer} writes from their held lines. */
    DomainFamilies families() {
        return families;
    }

    /** The engine destroyed a crashed, rebooted or powered-off domain in order to boot it again (key "namespace/name"). */
    public void domainRestarted(String key) {
        families.restarted(key, 1);
    }

    /** The DomainConfig is gone: its restart series goes too. */
    public void forgetDomain(String key) {
        families.forgetRestarts(key);
    }

    /** Records a DomainConfig's phase (key "namespace/name"); null forgets it. Costs nothing unless it changed. */
    public void recordPhase(String key, String phase) {
        families.phase(key, phase);
    }

    /** Sets every DomainConfig's phase at once: those not named are forgotten. */
    public void recordPhases(Map<String, String> phaseByKey) {
        phaseByKey.forEach(this::recordPhase);
        List.copyOf(families.phaseKeys()).stream().filter(k -> !phaseByKey.containsKey(k)).forEach(k -> recordPhase(k, null));
    }

    public Timer.Sample startReconcile() {
        queueDepth.incrementAndGet();
        return Timer.start(registry);
    }

    public void reconciled(Timer.Sample sample, String operation, String result) {
        queueDepth.decrementAndGet();
        String series = operation + " " + result;
        sample.stop(reconcileTimers.computeIfAbsent(series, s -> Timer.builder("domainoperator.reconcile.duration")
            .description("Time to decide and perform one operation")
            .tags("node", node, "operation", operation, "result", result)
            .serviceLevelObjectives(RECONCILE_BUCKETS).register(registry)));
        reconcileCounters.computeIfAbsent(series, s -> Counter.builder("domainoperator.reconciles")
            .description("Reconciles by the operation performed and its result")
            .tags("node", node, "operation", operation, "result", result).register(registry)).increment();
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

    public void statusConflicted() {
        statusConflicts.increment();
    }

}
