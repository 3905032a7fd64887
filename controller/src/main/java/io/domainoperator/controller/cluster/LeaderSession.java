package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one term as leader: informers over DomainConfigs (all namespaces), node heartbeat Leases and
 * PhysicalIOAdapters, and one thread that runs passes. Closed when leadership ends; a new term starts
 * from fresh caches.
 */
final class LeaderSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderSession.class);

    private final KubernetesClient client;
    private final String leaseNamespace;
    private final String identity;
    private final Clock clock;
    private final ClusterController.Timings timings;
    /**
     * Writes of one pass go out in parallel: each touches a different object and the decisions are already
     * made, so only the API round trips are overlapped (10,000 placements at start-up are 20,000 patches).
     */
    static final int CONCURRENT_WRITES = 8;

    private final ScheduledExecutorService worker;
    private final ExecutorService writers;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final DomainWriter writer;
    /** Releases what nodes declared gone for good held (issue 16). */
    private final GoneNodeWriter goneNodes;
    /** Events on DomainConfigs: placed, no fit. */
    private final io.domainoperator.controller.agent.EventRecorder events;
    /** Placements and no-fits, or null. */
    private final io.domainoperator.controller.metrics.ControllerMetrics metrics;
    /**
     * Placements written but maybe not yet in the informer cache (key to node), as kube-scheduler's "assume":
     * without it a pass right after a placement would see the domain unplaced and its memory unreserved.
     */
    private final Map<String, String> assumed = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean active = true;
    private volatile SharedIndexInformer<DomainConfig> domains;
    private volatile SharedIndexInformer<Lease> leases;
    private volatile SharedIndexInformer<PhysicalIOAdapter> adapters;

    LeaderSession(KubernetesClient client, String leaseNamespace, String identity, Clock clock, ClusterController.Timings timings,
                  io.domainoperator.controller.metrics.ControllerMetrics metrics) {
        this.metrics = metrics;
        this.events = new io.domainoperator.controller.agent.EventRecorder(client, "domain-operator-controller", identity,
            clock);
        this.client = client;
        this.leaseNamespace = leaseNamespace;
        this.identity = identity;
        this.clock = clock;
        this.timings = timings;
        this.worker = Executors.newSingleThreadScheduledExecutor(ClusterController.daemon("cluster-pass-" + identity));
        this.writers = Executors.newFixedThreadPool(CONCURRENT_WRITES, ClusterController.daemon("cluster-write-" + identity));
        this.writer = new DomainWriter(client, clock, this::active);
        this.goneNodes = new GoneNodeWriter(client, leaseNamespace, clock, events, this::active);
    }

    boolean active() {
        return active;
    }

    synchronized void start() {
        ResourceEventHandler<Object> trigger = new ResourceEventHandler<>() {
            @Override public void onAdd(Object obj) { requestPass(); }
            @Override public void onUpdate(Object oldObj, Object newObj) { requestPass(); }
            @Override public void onDelete(Object obj, boolean deletedFinalStateUnknown) { requestPass(); }
        };
        // Built, then started: an event must never find a field still unset.
        domains = client.resources(DomainConfig.class).inAnyNamespace().runnableInformer(0);
        leases = client.resources(Lease.class).inNamespace(leaseNamespace).runnableInformer(0);
        adapters = client.resources(PhysicalIOAdapter.class).runnableInformer(0);
        informers.addAll(List.of(domains, leases, adapters));
        for (SharedIndexInformer<?> informer : informers) {
            informer.addEventHandler(cast(trigger));
            informer.start();
        }
        startMigrations(trigger);
        long resync = timings.resyncPeriod().toMillis();
        worker.scheduleWithFixedDelay(this::requestPass, resync, resync, TimeUnit.MILLISECONDS);
        requestPass();
    }

    /**
     * Live migration (issue 18) runs in the same pass. Its informer is kept apart from the three placement needs: a
     * cluster without the DomainMigration CRD must still place domains.
     */
    private volatile SharedIndexInformer<io.domainoperator.api.v1alpha1.DomainMigration> migrations;
    private MigrationController migrationController;
    private NodeDrain drain;
    /** Drain migrations at once ({@link ClusterController#drainParallel(int)}). */
    volatile int drainParallel = DrainPlanner.DEFAULT_PARALLEL;

    private void startMigrations(ResourceEventHandler<Object> trigger) {
        migrationController = new MigrationController(client, clock, events);
        drain = new NodeDrain(client, clock, events, writer, drainParallel);
        migrations = client.resources(io.domainoperator.api.v1alpha1.DomainMigration.class).inAnyNamespace().runnableInformer(0);
        migrations.addEventHandler(cast(trigger));
        migrations.start();
    }

    /**
     * Drain runs whether or not any DomainMigration exists yet: it creates the first one (until stop 14 it ran only
     * beside existing migrations, so a cluster that had never migrated anything drained nothing).
     */
    private void migrationPass(Map<String, DomainConfig> byKey, List<NodeLease> nodes, NodeMaintenance maintenance) {
        var informer = migrations;
        if (informer == null || !informer.hasSynced()) {
            return;
        }
        List<io.domainoperator.api.v1alpha1.DomainMigration> all = informer.getStore().list();
        if (!all.isEmpty()) {
            migrationController.pass(all, byKey, nodes, maintenance.cordoned());
        }
        if (!maintenance.draining().isEmpty() || byKey.values().stream().anyMatch(NodeDrain::concerned)) {
            drain.pass(maintenance.draining(), all, byKey);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    /** A domain whose write keeps failing is retried with a growing delay, not on every event of the fleet. */
    private final WriteBackoff backoff = new WriteBackoff(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(2));

    void requestPass() {
        if (active && passQueued.compareAndSet(false, true)) {
            try {
                worker.execute(this::pass);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                passQueued.set(false);
            }
        }
    }

    private void pass() {
        passQueued.set(false);
        if (!active) {
            return;
        }
        if (informers.size() < 3 || !informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            retryLater();
            return;
        }
        try {
            Instant now = clock.instant();
            List<DomainConfig> cached = domains.getStore().list();
            Map<String, DomainConfig> byKey = new java.util.HashMap<>();
            cached.forEach(d -> byKey.put(ClusterDecider.key(d), d));
            List<DomainConfig> snapshot = withAssumed(cached);
            List<NodeLease> nodes = leases.getStore().list().stream().filter(NodeLease::isNodeLease).map(NodeLease::from).toList();
            // One list of the Node objects per pass: drain reads cordons and labels, GoneNodes taints and deletions.
            java.util.Optional<List<io.fabric8.kubernetes.api.model.Node>> nodeObjects = goneNodes.listNodes();
            NodeMaintenance maintenance = nodeObjects.map(NodeMaintenance::of).orElse(NodeMaintenance.NONE);
            var migrationCache = migrations;
            nodeObjects.ifPresent(n -> goneNodes.pass(n, leases.getStore().list(), cached,
                migrationCache == null || !migrationCache.hasSynced() ? List.of() : migrationCache.getStore().list()));
            migrationPass(byKey, nodes, maintenance);
            List<DomainDecision> decisions = ClusterDecider.decide(snapshot, nodes, adapters.getStore().list(),
                maintenance.cordoned(), leaseNamespace, now);
            recordUnplaced(decisions);
            List<Callable<Boolean>> writes = decisions.stream()
                .filter(decision -> !backoff.holds(decision.key(), now))
                .map(decision -> (Callable<Boolean>) () -> {
                    if (!active) {
                        return false;
                    }
                    boolean written = writer.apply(decision, byKey.get(decision.key()));
                    if (written && decision.assignNode() != null) {
                        assumed.put(decision.key(), decision.assignNode());
                        if (metrics != null) {
                            metrics.placed();
                        }
                    }
                    if (written) {
                        announce(decision, byKey.get(decision.key()));
                        backoff.succeeded(decision.key());
                    } else {
                        backoff.failed(decision.key(), clock.instant());
                    }
                    return written;
                }).toList();
            boolean allWritten = true;
            for (Future<Boolean> write : writers.invokeAll(writes)) {
                allWritten &= write.get();
            }
            if (!allWritten) {
                retryLater();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException e) {
            if (active) {
                LOG.error("cluster controller {}: pass failed, retrying in {}", identity, timings.retryPeriod(), e);
            }
            retryLater();
        }
    }

    private void retryLater() {
        if (!active) {
            return;
        }
        try {
            worker.schedule(this::requestPass, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile: leadership ended, nothing to retry.
        }
    }

    /** The cached domains, with placements this session wrote that the cache does not show yet. */
    private List<DomainConfig> withAssumed(List<DomainConfig> cached) {
        if (assumed.isEmpty()) {
            return cached;
        }
        List<DomainConfig> out = new ArrayList<>(cached.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (DomainConfig domain : cached) {
            String key = ClusterDecider.key(domain);
            seen.add(key);
            String node = assumed.get(key);
            boolean cachedPlaced = domain.getSpec() != null && ClusterDecider.blankToNull(domain.getSpec().getNodeName()) != null;
            if (node == null || cachedPlaced) {
                assumed.remove(key);
                out.add(domain);
            } else {
                DomainConfig copy = client.getKubernetesSerialization().clone(domain);
                copy.getSpec().setNodeName(node);
                Map<String, String> labels = new java.util.HashMap<>(copy.getMetadata().getLabels() == null
                    ? Map.of() : copy.getMetadata().getLabels());
                labels.put(DomainConfig.NODE_LABEL, node);
                copy.getMetadata().setLabels(labels);
                out.add(copy);
            }
        }
        assumed.keySet().retainAll(seen);
        return out;
    }

    @Override
    public synchronized void close() {
        active = false;
        worker.shutdownNow();
        writers.shutdownNow();
        informers.forEach(SharedIndexInformer::close);
        if (migrations != null) {
            migrations.close();
        }
        informers.clear();
    }

    /** The no-fit reasons of this pass, for domainoperator_controller_unplaced_domains. */
    private void recordUnplaced(List<DomainDecision> decisions) {
        if (metrics == null) {
            return;
        }
        List<String> reasons = new java.util.ArrayList<>();
        for (DomainDecision d : decisions) {
            var placed = d.status().put().get(io.domainoperator.api.v1alpha1.Conditions.PLACED);
            if (placed != null && io.domainoperator.api.v1alpha1.Conditions.NO_FIT.equals(placed.getReason())) {
                reasons.add(io.domainoperator.controller.metrics.ControllerMetrics.firstReason(placed.getMessage()));
            }
        }
        metrics.unplaced(reasons);
    }

    /** Events for what a written decision changed: a placement, or a domain that newly has no fit. */
    private void announce(DomainDecision decision, DomainConfig current) {
        if (current == null) {
            return;
        }
        if (decision.assignNode() != null) {
            events.record(current, "Normal", ClusterDecider.NODE_ASSIGNED, "placed on node " + decision.assignNode());
            return;
        }
        var placed = decision.status().put().get(io.domainoperator.api.v1alpha1.Conditions.PLACED);
        var before = current.getStatus() == null ? null
            : current.getStatus().condition(io.domainoperator.api.v1alpha1.Conditions.PLACED);
        if (placed != null && io.domainoperator.api.v1alpha1.Conditions.NO_FIT.equals(placed.getReason())
            && (before == null || !placed.getReason().equals(before.getReason()))) {
            events.record(current, "Warning", io.domainoperator.api.v1alpha1.Conditions.NO_FIT, placed.getMessage());
        }
    }
}
