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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final ScheduledExecutorService worker;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final DomainWriter writer;
    /**
     * Placements written but maybe not yet in the informer cache (key to node), as kube-scheduler's "assume":
     * without it a pass right after a placement would see the domain unplaced and its memory unreserved.
     */
    private final Map<String, String> assumed = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile boolean active = true;
    private SharedIndexInformer<DomainConfig> domains;
    private SharedIndexInformer<Lease> leases;
    private SharedIndexInformer<PhysicalIOAdapter> adapters;

    LeaderSession(KubernetesClient client, String leaseNamespace, String identity, Clock clock, ClusterController.Timings timings) {
        this.client = client;
        this.leaseNamespace = leaseNamespace;
        this.identity = identity;
        this.clock = clock;
        this.timings = timings;
        this.worker = Executors.newSingleThreadScheduledExecutor(ClusterController.daemon("cluster-pass-" + identity));
        this.writer = new DomainWriter(client, clock, this::active);
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
        domains = client.resources(DomainConfig.class).inAnyNamespace().inform(cast(trigger));
        leases = client.resources(Lease.class).inNamespace(leaseNamespace).inform(cast(trigger));
        adapters = client.resources(PhysicalIOAdapter.class).inform(cast(trigger));
        informers.addAll(List.of(domains, leases, adapters));
        long resync = timings.resyncPeriod().toMillis();
        worker.scheduleWithFixedDelay(this::requestPass, resync, resync, TimeUnit.MILLISECONDS);
        requestPass();
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

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
        if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            worker.schedule(this::requestPass, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        try {
            Instant now = clock.instant();
            List<DomainConfig> snapshot = withAssumed(domains.getStore().list());
            List<NodeLease> nodes = leases.getStore().list().stream().filter(NodeLease::isNodeLease).map(NodeLease::from).toList();
            List<DomainDecision> decisions = ClusterDecider.decide(snapshot, nodes, adapters.getStore().list(), leaseNamespace, now);
            boolean allWritten = true;
            for (DomainDecision decision : decisions) {
                if (!active) {
                    return;
                }
                boolean written = writer.apply(decision);
                if (written && decision.assignNode() != null) {
                    assumed.put(decision.key(), decision.assignNode());
                }
                allWritten &= written;
            }
            if (!allWritten) {
                worker.schedule(this::requestPass, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.error("cluster controller {}: pass failed, retrying in {}", identity, timings.retryPeriod(), e);
            worker.schedule(this::requestPass, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
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
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
