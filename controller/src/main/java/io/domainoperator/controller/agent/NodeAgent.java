package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.controller.cluster.NodeHeartbeat;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.journal.JournalFile;
import io.domainoperator.controller.doctor.HostCheck;
import io.domainoperator.controller.doctor.NodeDoctor;
import io.domainoperator.controller.metrics.DomainMetrics;
import io.domainoperator.controller.metrics.MetricsServer;
import io.domainoperator.controller.probe.GuestProber;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.reconciler.DomainDecider;
import io.domainoperator.reconciler.Journal;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.domainoperator.controller.metrics.MeterRegistries;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import io.domainoperator.hypervisor.DomainInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: the java-operator-sdk loop over this node's DomainConfigs, the hypervisor poller that
 * triggers it, the journal, metrics and health endpoints. {@link #start()} and {@link #close()}; the CLI's
 * {@code agent} and {@code standalone} commands differ only in the client they pass in.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    /**
     * Reconciles at once (JOSDK's default is 50). Hypervisor calls, status writes and the finalizer's addition leave the
     * reconcile thread; its removal after a deletion's halt does not (one API round trip per deleted domain).
     */
    static final int RECONCILE_THREADS = 128;
    private final AgentConfig config;
    private final KubernetesClient client;
    private final Hypervisor hypervisor;
    private final AdapterAssigner adapters;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = MeterRegistries.prometheus();
    private final AtomicReference<DomainDecider> engine = new AtomicReference<>();
    private final AtomicReference<GlobalKnobs> knobs = new AtomicReference<>();
    private final Map<String, ResourceID> ownerByDomainName = new ConcurrentHashMap<>();
    private volatile boolean ready;
    /** The journal store, for readiness: a journal that cannot be written makes the agent not ready. */
    private volatile FileJournalStore<Journal> journals;
    /** Host checks that did not pass at start (doctor's checks), shown on /readyz. */
    private volatile List<HostCheck> hostProblems = List.of();
    private Operator operator;
    private HypervisorPoller poller;
    private GuestProber prober;
    private MetricsServer metricsServer;
    private DomainMetrics metrics;
    private DomainConfigReconciler reconciler;
    private KnobsWatcher knobsWatcher;
    private EventRecorder events;
    private volatile OperationRunner runner;
    /** Orphans are halted off the poller's thread: a hung destroy of one must not stop the polls. */
    private final java.util.concurrent.ExecutorService orphanSweeps = java.util.concurrent.Executors.newSingleThreadExecutor(
        Thread.ofPlatform().name("orphan-sweeper").daemon().factory());
    private final java.util.concurrent.atomic.AtomicBoolean sweeping = new java.util.concurrent.atomic.AtomicBoolean();
    private NodeHeartbeat heartbeat;
    /** Live migrations to and from this node (issue 18). */
    private MigrationAgent migrations;
    private volatile String migrationAddress = "127.0.0.1";

    /** An agent whose adapter assigner is built from its own view of active domains ({@link AgentWiring}). */
    public NodeAgent(AgentConfig config, KubernetesClient client, Hypervisor hypervisor, AdapterAssigner.Factory adapters,
                     Clock clock) {
        this.config = config;
        this.client = client;
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.adapters = adapters.create(this::activeDomainKeys);
        applyKnobs(config.knobs());
    }

    public NodeAgent(AgentConfig config, KubernetesClient client, Hypervisor hypervisor, AdapterAssigner adapters, Clock clock) {
        this(config, client, hypervisor, activeDomains -> adapters, clock);
    }

    /** Where this node's incoming migrations listen (the address other nodes reach it at); before {@link #start()}. */
    public void migrationAddress(String host) {
        this.migrationAddress = java.util.Objects.requireNonNull(host, "host");
    }

    /** Rebinds the global knobs (flags, then the knobs ConfigMap): the next decision uses them. */
    public void applyKnobs(GlobalKnobs k) {
        GlobalKnobs previous = knobs.getAndSet(k);
        adapters.knobsChanged(k);
        engine.set(new DomainDecider(k.engineKnobs(), new io.domainoperator.reconciler.StartedBy(hypervisor.backendName(),
            JournalFile.agentVersion())));
        if (previous != null && poller != null && !previous.pollInterval().equals(k.pollInterval())) {
            poller.start(k.pollInterval());
        }
        if (previous != null && !previous.equals(k)) {
            LOG.info("knobs now {}", k);
        }
    }

    public GlobalKnobs knobs() {
        return knobs.get();
    }

    public synchronized void start() {
        metrics = new DomainMetrics(registry, config.nodeName());
        journals = FileJournalStore.mapped(config.stateDir().resolve("journal"),
            JournalFile.class, JournalFile::of, JournalFile::journal);
        DiskStore disks = new DiskStore(config.imageRoot(), new ProcessCommandRunner());
        OperationExecutor executor = new OperationExecutor(hypervisor, disks, adapters,
            new SaveImageStore(SaveImageStore.under(config.stateDir())));
        events = new EventRecorder(client, "domain-operator-agent", config.nodeName(), clock);
        io.micrometer.core.instrument.FunctionCounter.builder("domainoperator.events.failed", events, EventRecorder::failures)
            .description("Kubernetes Events dropped or refused by the API server (each was logged)")
            .tags("node", config.nodeName()).register(registry);
        OrphanSweeper orphans = new OrphanSweeper(engine::get, journals, executor, ownerByDomainName, clock,
            e -> events.recordOnNode(e.type().name(), e.reason(), e.message()));
        AtomicReference<MemoryAdmission> memory = new AtomicReference<>();
        poller = new HypervisorPoller(hypervisor, this::onHypervisorChange, snapshot -> {
            if (memory.get() != null) {
                memory.get().settle(snapshot);
            }
            recordSnapshot(snapshot);
            if (runner != null) {
                runner.settle(snapshot);
            }
            if (ready) {
                sweepOrphans(orphans, snapshot);
            }
        });
        memory.set(new MemoryAdmission(poller));
        runner = new OperationRunner(executor, journals, poller, metrics, clock, memory.get(), this::requeue,
            hypervisor::look);
        prober = new GuestProber(hypervisor, this::requeue);
        DomainStep step = new DomainStep(config.nodeName(), config.imageRoots(), engine::get, poller, journals, executor,
            runner, metrics, Set.copyOf(config.dom0Ports()), prober, clock, ownerByDomainName,
            () -> knobs.get().pollInterval().multipliedBy(2), memory.get());
        migrations = new MigrationAgent(client, config.nodeName(), hypervisor, executor, journals, ownerByDomainName,
            registry, clock, migrationAddress, poller);
        step.holdDuringMigrations(migrations::holds);
        NodeMove moves = new NodeMove(config.nodeName(), () -> journals, clock);
        reconciler = new DomainConfigReconciler(step, events, client, moves, config.nodeName());

        operator = new Operator(o -> o.withKubernetesClient(client)
            .withCloseClientOnStop(false)
            .withConcurrentReconciliationThreads(RECONCILE_THREADS)
            // The standalone mode's embedded API server has no server-side apply; JSON patches work everywhere.
            .withUseSSAToPatchPrimaryResource(false)
            .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry)));
        // Every event, deletions included: the reconciler adds and removes its finalizer itself, so that no create waits
        // for that write (FinalizerWrite).
        operator.register(reconciler, c -> c.withTriggerReconcilerOnAllEvents(true)
            .withName("domainconfig-agent")
            // Never give up: a change that failed on a read-only or full state directory must still be applied once
            // the fault clears (JOSDK's default stops after a few attempts, and nothing would trigger another pass).
            .withRetry(new io.javaoperatorsdk.operator.processing.retry.GenericRetry().setInitialInterval(500)
                .setIntervalMultiplier(2).setMaxInterval(30_000).withoutMaxAttempts())
            // Its own DomainConfigs, and those whose spec.nodeName left while it had their domain (NodeMove).
            .withGenericFilter(moves::concernsThisNode));
        try {
            metricsServer = new MetricsServer(config.metricsHost(), config.metricsPort(), registry, metrics, this::readiness);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + config.metricsHost() + ":" + config.metricsPort()
                + " (use --metrics-port to pick another port)", e);
        }
        poller.start(knobs.get().pollInterval());
        if (config.leaseNamespace() != null) {
            heartbeat = new NodeHeartbeat(client, config.leaseNamespace(), config.nodeName(), hypervisor.backendName(),
                () -> poller.snapshot().host() != null ? poller.snapshot().host() : hypervisor.hostInfo(), clock);
            heartbeat.start();
        }
        if (config.knobsConfigMap() != null) {
            knobsWatcher = new KnobsWatcher(client, config.knobsConfigMap(), config.knobs(), this::applyKnobs);
        }
        operator.start();
        if (config.leaseNamespace() != null) {
            migrations.start(); // in a cluster only: standalone mode has one node, nowhere to move to
        }
        ready = true;
        StartEvent.record(events, hypervisor.backendName(), hostProblems);
        LOG.info("node agent for {} started: hypervisor {}, state {}, metrics on port {}", config.nodeName(),
            hypervisor.backendName(), config.stateDir(), metricsServer.port());
    }

    /**
     * The host checks' problems, reported with readiness: a failed backend or device check makes the agent not ready
     * (it cannot run what it is asked to); storage problems are listed but leave it ready (see {@link NodeDoctor#blocksAgent}).
     */
    public void reportHostProblems(List<HostCheck> problems) {
        hostProblems = List.copyOf(problems);
    }

    private MetricsServer.Readiness readiness() {
        StringBuilder notes = new StringBuilder();
        hostProblems.forEach(c -> notes.append("host check ").append(c.summary()).append('\n'));
        if (!ready) {
            return new MetricsServer.Readiness(false, "not ready: the reconcile loop has not started\n" + notes);
        }
        FileJournalStore<Journal> store = journals;
        if (store != null && store.writeProblem().isPresent()) {
            return new MetricsServer.Readiness(false, "not ready: the state directory cannot be written (read-only or full?): "
                + store.writeProblem().get() + "; pending changes are applied once it is writable again\n" + notes);
        }
        if (hostProblems.stream().anyMatch(NodeDoctor::blocksAgent)) {
            return new MetricsServer.Readiness(false, "not ready: a host check failed (run `domain-operator doctor`)\n" + notes);
        }
        return new MetricsServer.Readiness(true, "ok\n" + notes);
    }

    /** At most one sweep at a time; a poll that finds one still running skips it (the next poll sweeps). */
    private void sweepOrphans(OrphanSweeper orphans, HypervisorPoller.Snapshot snapshot) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            orphanSweeps.execute(() -> {
                try {
                    orphans.sweep(snapshot);
                } finally {
                    sweeping.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sweeping.set(false);
        }
    }

    private void recordSnapshot(HypervisorPoller.Snapshot snapshot) {
        if (snapshot.host() != null) {
            metrics.recordHost(snapshot.host());
        }
        List<DomainMetrics.DomainSample> samples = new ArrayList<>();
        snapshot.domains().values().stream().filter(DomainInfo::ours).forEach(d -> {
            ResourceID owner = ownerByDomainName.get(d.name());
            if (owner != null) {
                samples.add(new DomainMetrics.DomainSample(owner.getNamespace().orElse(""), owner.getName(), d));
            }
        });
        metrics.recordDomains(samples);
    }

    private void onHypervisorChange(Set<String> domainNames) {
        if (reconciler == null) {
            return;
        }
        Set<ResourceID> owners = domainNames.stream().map(ownerByDomainName::get).filter(java.util.Objects::nonNull)
            .collect(Collectors.toSet());
        reconciler.hypervisorChanged(owners);
    }

    /**
     * Reconcile that DomainConfig (ns/name) now: its readiness verdict changed (GuestReady is written without
     * waiting), or its call ended with an answer that needs no list.
     */
    private void requeue(String key) {
        String[] nsName = key.split("/", 2);
        if (reconciler != null && nsName.length == 2) {
            reconciler.hypervisorChanged(Set.of(new ResourceID(nsName[1], nsName[0])));
        }
    }

    /**
     * DomainConfigs (ns/name) whose domain exists on this node now: the device plugin's holders of record. A domain
     * whose create returned counts before a poll lists it.
     */
    public Set<String> activeDomainKeys() {
        if (poller == null) {
            return Set.of();
        }
        Set<String> keys = poller.snapshot().domains().keySet().stream().map(ownerByDomainName::get)
            .filter(java.util.Objects::nonNull).map(id -> id.getNamespace().orElse("") + "/" + id.getName())
            .collect(Collectors.toCollection(java.util.HashSet::new));
        OperationRunner r = runner;
        if (r != null) {
            keys.addAll(r.provisionallyExisting());
        }
        return keys;
    }

    public int metricsPort() {
        return metricsServer.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public HypervisorPoller poller() {
        return poller;
    }

    public boolean isReady() {
        return ready;
    }

    @Override
    public synchronized void close() {
        ready = false;
        if (knobsWatcher != null) {
            knobsWatcher.close();
        }
        if (migrations != null) {
            migrations.close();
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (operator != null) {
            operator.stop();
        }
        if (poller != null) {
            poller.close();
        }
        orphanSweeps.shutdownNow();
        if (runner != null) {
            runner.close();
        }
        if (reconciler != null) {
            reconciler.close();
        }
        if (prober != null) {
            prober.close();
        }
        if (events != null) {
            events.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        adapters.close();
        if (journals != null) {
            journals.close(); // after every call has stopped: writes the outcomes still held in memory
        }
    }
}
