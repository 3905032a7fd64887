package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.controller.cluster.MigrationWrites;
import io.domainoperator.controller.crash.CrashPoint;
import io.domainoperator.controller.crash.CrashSwitch;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.MigrationProgress;
import io.domainoperator.reconciler.CopyDeadlines;
import io.domainoperator.reconciler.CopyWatch;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.Knobs;
import io.domainoperator.reconciler.MigrationDecider;
import io.domainoperator.reconciler.MigrationDecision;
import io.domainoperator.reconciler.MigrationInput;
import io.domainoperator.reconciler.MigrationOperations;
import io.domainoperator.reconciler.Operation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in live migrations: watches DomainMigrations naming this node as source or target, asks the
 * engine ({@link MigrationDecider}) what to do from the object's status and this node's hypervisor, performs it and
 * writes the status at the version read. The other node's agent is never called: the status is the only channel.
 * While a migration holds a domain here, the DomainConfig loop stands back ({@link #holds}).
 */
final class MigrationAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationAgent.class);
    private static final Duration TICK = Duration.ofMillis(250);
    private final KubernetesClient client;
    private final String node;
    private final Hypervisor hypervisor;
    private final OperationExecutor executor;
    private final FileJournalStore<Journal> journals;
    private final Map<String, ResourceID> ownerByDomainName;
    private final Clock clock;
    private final String listenHost;
    private final MigrationDecider engine = new MigrationDecider(Knobs.defaults());
    /** DomainConfig keys (ns/name) a migration holds on this node now. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Migrations handed away from this node whose DomainConfig names another node now (uids). */
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    /** The source's watch of each copy it runs (DomainMigration uid): when the copy last made progress. */
    private final Map<String, CopyWatch> watches = new ConcurrentHashMap<>();
    /** DomainConfig keys whose guest a migration moved off this node. */
    private final Set<String> movedAway = ConcurrentHashMap.newKeySet();
    private final Timer copyTime;
    private final Timer downtime;
    private final Timer failedCopyTime;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("migrations").daemon().factory());
    private SharedIndexInformer<DomainMigration> informer;
    /** Guests resumed here that the poller has not listed since. */
    private final ResumedArrivalHold arrivals;

    MigrationAgent(KubernetesClient client, String node, Hypervisor hypervisor, OperationExecutor executor,
                   FileJournalStore<Journal> journals, Map<String, ResourceID> ownerByDomainName, MeterRegistry registry,
                   Clock clock, String listenHost, HypervisorPoller poller) {
        this.arrivals = new ResumedArrivalHold(poller);
        this.client = client;
        this.node = node;
        this.hypervisor = hypervisor;
        this.executor = executor;
        this.journals = journals;
        this.ownerByDomainName = ownerByDomainName;
        this.clock = clock;
        this.listenHost = listenHost;
        this.copyTime = Timer.builder("domainoperator.migration.duration").description(
            "Live migrations' memory copy, from its start to its completion (the hypervisor's figure), on the source node")
            .tag("node", node).register(registry);
        this.downtime = Timer.builder("domainoperator.migration.downtime").description(
            "How long live-migrated guests were stopped for the final copy (the hypervisor's figure), on the source node")
            .tag("node", node).register(registry);
        this.failedCopyTime = Timer.builder("domainoperator.migration.failed.duration").description(
            "Live migrations' memory copies that failed before the hand-over, from their start to the failure (the "
                + "hypervisor's figure), on the source node; the guest kept running there")
            .tag("node", node).register(registry);
    }

    void start() {
        informer = client.resources(DomainMigration.class).inAnyNamespace().runnableInformer(0);
        informer.start();
        worker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the DomainConfig loop must leave this DomainConfig alone on this node: a migration holds its domain here,
     * or moved it away (a pass already queued for it here must not boot it again; it comes back only by its nodeName).
     */
    boolean holds(DomainConfig dc) {
        String key = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
        return held.contains(key) || (movedAway.contains(key) && !node.equals(dc.getSpec().getNodeName()));
    }

    private void tick() {
        if (!informer.hasSynced()) {
            return;
        }
        Set<String> stillHeld = ConcurrentHashMap.newKeySet();
        Set<String> listed = new java.util.HashSet<>();
        for (DomainMigration m : newestPerDomain()) {
            listed.add(m.getMetadata().getUid());
            String key = m.getMetadata().getNamespace() + "/" + m.getSpec().getDomainConfig();
            try {
                if (step(m, key)) {
                    stillHeld.add(key);
                }
            } catch (RuntimeException e) {
                LOG.warn("migration {}/{}: {}", m.getMetadata().getNamespace(), m.getMetadata().getName(), e.getMessage());
                stillHeld.add(key); // unsure: keep standing back until a step succeeds
            }
        }
        held.retainAll(stillHeld);
        held.addAll(stillHeld);
        watches.keySet().retainAll(listed);
        arrivals.retain(listed);
    }

    /**
     * Per DomainConfig, the newest migration naming this node: an older one has ended, and its copies on this node
     * are gone or belong to the newer one (a guest moved away and back has the same name).
     */
    private java.util.Collection<DomainMigration> newestPerDomain() {
        Map<String, DomainMigration> newest = new java.util.HashMap<>();
        for (DomainMigration m : informer.getStore().list()) {
            DomainMigrationStatus st = m.getStatus();
            if (st == null || m.getSpec() == null || !(node.equals(st.getSourceNode()) || node.equals(st.getTargetNode()))) {
                continue;
            }
            newest.merge(m.getMetadata().getNamespace() + "/" + m.getSpec().getDomainConfig(), m,
                (a, b) -> created(a).compareTo(created(b)) >= 0 ? a : b);
        }
        return newest.values();
    }

    private static String created(DomainMigration m) {
        return String.valueOf(m.getMetadata().getCreationTimestamp()) + m.getMetadata().getName();
    }

    /** One decision and its effect; returns whether the migration holds the domain here. */
    private boolean step(DomainMigration m, String key) {
        DomainMigrationStatus st = m.getStatus();
        String name = st.getDomainName();
        DomainInfo observed = hypervisor.listDomains().stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
        MigrationProgress progress = progress(name, st);
        String uid = m.getMetadata().getUid();
        CopyWatch watch = null;
        if (node.equals(st.getSourceNode()) && progress.state() == MigrationProgress.State.ACTIVE) {
            watch = watches.compute(uid, (k, previous) -> CopyWatch.next(previous, progress, clock.instant()));
        } else {
            watches.remove(uid);
        }
        DomainConfigSpec spec = st.getPhase() == io.domainoperator.api.v1alpha1.MigrationPhase.Scheduling
            ? Optional.ofNullable(client.resources(DomainConfig.class).inNamespace(m.getMetadata().getNamespace())
                .withName(m.getSpec().getDomainConfig()).get()).map(DomainConfig::getSpec).orElse(null) : null;
        MigrationDecision d = engine.decide(new MigrationInput(node, st, spec, observed, progress, listenHost, freePort(),
            clock.instant(), CopyDeadlines.of(m.getSpec()), watch));
        boolean holds = d.holdsDomain() || handedAwayButStillNamedHere(m, st) || arrivals.holds(node, m.getMetadata().getUid(), st);
        if (observed == null && !d.hasOperation()) {
            forgetCopyDestroyedUnrecorded(m, st, key);
        }
        if (holds) {
            held.add(key); // before any effect: the DomainConfig loop must not see a copy in mid-move as its own
            ownerByDomainName.putIfAbsent(name, new ResourceID(m.getSpec().getDomainConfig(), m.getMetadata().getNamespace()));
        }
        DomainMigrationStatus write = d.status();
        if (d.hasOperation()) {
            Operation op = d.operation();
            try {
                OperationExecutor.Result result = executor.execute(key, op);
                LOG.info("migration of {}: {} done on {}", key, op.kind(), node);
                journalAfter(key, op, result.created());
            } catch (RuntimeException e) {
                LOG.warn("migration of {}: {} failed on {}: {}", key, op.kind(), node, e.getMessage());
                write = d.statusAfterFailure(st, String.valueOf(e.getMessage()), clock.instant());
            }
        }
        boolean handover = write != null && st.getHandoverTime() == null && write.getHandoverTime() != null;
        if (handover) {
            CrashSwitch.reached(CrashPoint.HANDOVER_WRITE_BEFORE);
        }
        if (write != null && MigrationWrites.writeStatus(client, m, write)) {
            LOG.info("migration of {}: {} (written by {})", key, write.getPhase(), node);
            if (handover) {
                CrashSwitch.reached(CrashPoint.HANDOVER_WRITE_AFTER);
                copyTime.record(Duration.ofMillis(write.getMigrationTimeMillis()));
                downtime.record(Duration.ofMillis(write.getDowntimeMillis()));
            } else if (copyFailedHere(st, write)) {
                failedCopyTime.record(Duration.ofMillis(write.getMigrationTimeMillis()));
            }
        }
        return holds;
    }

    /**
     * The hypervisor's view of the domain's migration. A target whose incoming QEMU hangs (stopped, so its QMP never
     * answers) must still destroy it once the migration ended, and that decision needs no copy state: there an
     * unanswered query counts as no migration. Anywhere else it stays an error, and the step is tried again.
     */
    private MigrationProgress progress(String name, DomainMigrationStatus st) {
        try {
            return hypervisor.liveMigration().map(l -> l.progress(name)).orElse(MigrationProgress.NONE);
        } catch (RuntimeException e) {
            if (node.equals(st.getTargetNode()) && st.getPhase() != null && st.getPhase().terminal()
                && st.getHandoverTime() == null) {
                LOG.warn("migration of {}: no migration state from the incoming domain on {} ({}); it is destroyed all the same",
                    name, node, e.getMessage());
                return MigrationProgress.NONE;
            }
            throw e;
        }
    }

    /** This write ends a copy from this node that failed before the hand-over (its figure is the copy's run time). */
    private boolean copyFailedHere(DomainMigrationStatus read, DomainMigrationStatus write) {
        return write.getPhase() == io.domainoperator.api.v1alpha1.MigrationPhase.Failed && read.getPhase() != write.getPhase()
            && node.equals(write.getSourceNode()) && write.getHandoverTime() == null && write.getMigrationTimeMillis() != null;
    }

    /**
     * After a hand-over the guest is the target's, but the DomainConfig names this node until the controller moves it:
     * until then this node's DomainConfig loop would boot the guest here again, so the migration keeps holding it.
     */
    private boolean handedAwayButStillNamedHere(DomainMigration m, DomainMigrationStatus st) {
        if (!node.equals(st.getSourceNode()) || st.getHandoverTime() == null || released.contains(m.getMetadata().getUid())) {
            return false;
        }
        DomainConfig dc = client.resources(DomainConfig.class).inNamespace(m.getMetadata().getNamespace())
            .withName(m.getSpec().getDomainConfig()).get();
        if (dc == null || !node.equals(dc.getSpec().getNodeName())) {
            movedAway.add(m.getMetadata().getNamespace() + "/" + m.getSpec().getDomainConfig());
            released.add(m.getMetadata().getUid());
            return false;
        }
        return true;
    }

    /**
     * An agent killed between destroying its handed-over copy and deleting the copy's journal left the journal here:
     * once the DomainConfig names another node, nothing here would ever delete it, and a later return of the guest to
     * this node would start from a stale record. Read only when such a journal exists.
     */
    private void forgetCopyDestroyedUnrecorded(DomainMigration m, DomainMigrationStatus st, String key) {
        if (!node.equals(st.getSourceNode()) || st.getHandoverTime() == null || journals.load(key).isEmpty()) {
            return;
        }
        DomainConfig dc = client.resources(DomainConfig.class).inNamespace(m.getMetadata().getNamespace())
            .withName(m.getSpec().getDomainConfig()).get();
        if (dc == null || !node.equals(dc.getSpec().getNodeName())) {
            journals.delete(key);
            LOG.info("migration of {}: the journal of the copy destroyed on {} is deleted", key, node);
        }
    }

    /**
     * The domain's journal follows the guest: the target's records a create and an unpause (so its DomainConfig loop
     * adopts a running domain it knows the spec of), the source forgets its copy once destroyed.
     */
    private void journalAfter(String key, Operation op, DomainInfo created) {
        var now = clock.instant();
        switch (op) {
            case MigrationOperations.PrepareIncoming p -> {
                var create = new Operation.CreatePaused(p.name(), p.uuid(), p.spec(), List.of());
                journals.save(key, Journal.empty().withIntent(create, now).withSuccess(create, now, created));
            }
            case MigrationOperations.ResumeIncoming r -> {
                journals.load(key).ifPresent(j -> journals.save(key, j.withSuccess(new Operation.Unpause(r.name()), now, null)));
            }
            case MigrationOperations.DestroyCopy x -> journals.delete(key);
            default -> {
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free port for an incoming migration", e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}
