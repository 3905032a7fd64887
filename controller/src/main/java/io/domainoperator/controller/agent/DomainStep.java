package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.controller.cluster.OwnedStatus;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.metrics.DomainMetrics;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.AdapterView;
import io.domainoperator.reconciler.Decision;
import io.domainoperator.reconciler.Dependencies;
import io.domainoperator.reconciler.DesiredDomain;
import io.domainoperator.reconciler.DestroyReason;
import io.domainoperator.reconciler.DomainReconciler;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.Operation;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the xenopsd loop for one DomainConfig: observe (poller snapshot, journal, adapters, the
 * namespace's dependency graph), decide (the pure engine), journal the intent, act, journal the outcome, and
 * return the status to write. The journal is written before every side effect, so a process killed anywhere
 * asks the engine again with the intent on record and gets a safe answer.
 */
public final class DomainStep {
    private static final Logger LOG = LoggerFactory.getLogger(DomainStep.class);
    /** Conditions another component owns (the cluster controller); the agent carries them over untouched. */
    private static final Set<String> FOREIGN_CONDITIONS = Set.of(Conditions.PLACED, Conditions.NODE_LOST);
    private static final Duration MIN_REQUEUE = Duration.ofMillis(20);

    private final String nodeName;
    private final Supplier<DomainReconciler> engine;
    private final HypervisorPoller poller;
    private final FileJournalStore<Journal> journals;
    private final OperationExecutor executor;
    private final EventRecorder events;
    private final DomainMetrics metrics;
    private final Set<String> dom0Ports;
    private final Clock clock;
    /** Hypervisor name -> DomainConfig, so the poller's "domain changed" becomes a requeue. */
    private final Map<String, ResourceID> ownerByDomainName;

    /** What the reconcile should tell JOSDK. */
    public record Outcome(DomainConfigStatus status, boolean statusChanged, Duration requeueAfter, boolean forgotten) {
    }

    public DomainStep(String nodeName, Supplier<DomainReconciler> engine, HypervisorPoller poller,
                      FileJournalStore<Journal> journals, OperationExecutor executor, EventRecorder events,
                      DomainMetrics metrics, Set<String> dom0Ports, Clock clock, Map<String, ResourceID> ownerByDomainName) {
        this.ownerByDomainName = ownerByDomainName;
        this.nodeName = nodeName;
        this.engine = engine;
        this.poller = poller;
        this.journals = journals;
        this.executor = executor;
        this.events = events;
        this.metrics = metrics;
        this.dom0Ports = Set.copyOf(dom0Ports);
        this.clock = clock;
    }

    public Outcome run(DomainConfig dc, Context<DomainConfig> context, boolean deleting) {
        var timer = metrics.startReconcile();
        String result = "error";
        String opName = "None";
        try {
            String ns = dc.getMetadata().getNamespace();
            String name = dc.getMetadata().getName();
            String key = ns + "/" + name;
            Journal journal = journals.load(key).orElse(Journal.empty());
            Long generation = dc.getMetadata().getGeneration();
            DesiredDomain desired = new DesiredDomain(ns, name, generation == null ? 0 : generation, dc.getSpec(),
                deleting || dc.isMarkedForDeletion(), dc.getStatus());
            String hvName = DomainReconciler.hypervisorName(desired, journal);
            ownerByDomainName.put(hvName, ResourceID.fromResource(dc));
            Optional<DomainInfo> observed = poller.snapshot().domain(hvName);
            Instant now = clock.instant();

            Optional<Outcome> refused = refuseInvalid(dc, desired, observed);
            if (refused.isPresent()) {
                result = "invalid";
                return refused.get();
            }

            Decision decision = engine.get().decide(desired, observed, journal,
                adapterViews(dc, context), dependencies(dc, context), now);

            Journal current = decision.journal();
            if (!current.equals(journal)) {
                journals.save(key, current);
            }
            decision.events().forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
            Operation op = decision.operation();
            opName = op.kind();
            Duration requeue = decision.requeueAfter();
            if (op instanceof Operation.ForgetDomain) {
                journals.delete(key);
                metrics.recordPhase(key, null);
                ownerByDomainName.remove(hvName, ResourceID.fromResource(dc));
                LOG.info("{}: ForgetDomain: halted, released and cleaned up; removing the finalizer", key);
                result = "success";
                return new Outcome(decision.status(), false, Duration.ZERO, true);
            }
            if (decision.hasOperation()) {
                result = perform(key, op, current) ? "success" : "failure";
                requeue = MIN_REQUEUE;
            } else {
                result = "idle";
            }
            DomainConfigStatus status = withForeignConditions(decision.status(), dc.getStatus());
            metrics.recordPhase(key, status.getPhase() == null ? null : status.getPhase().name());
            boolean changed = !status.equals(dc.getStatus());
            return new Outcome(status, changed, requeue.compareTo(MIN_REQUEUE) < 0 ? MIN_REQUEUE : requeue, false);
        } finally {
            metrics.reconciled(timer, opName, result);
        }
    }

    /**
     * A spec the cluster controller found clashing with another DomainConfig (duplicate uuid or name: its
     * Ready=False InvalidSpec) is not acted on while no domain of it exists. The engine validates the spec
     * itself; only the clash is a fleet-wide fact it cannot see. A running domain is left alone; deletion proceeds.
     */
    private Optional<Outcome> refuseInvalid(DomainConfig dc, DesiredDomain desired, Optional<DomainInfo> observed) {
        if (desired.deletionRequested() || observed.isPresent()) {
            return Optional.empty();
        }
        DomainConfigStatus current = dc.getStatus();
        Condition ready = current == null ? null : current.condition(Conditions.READY);
        boolean clusterSaysInvalid = ready != null && Conditions.FALSE.equals(ready.getStatus())
            && Conditions.INVALID_SPEC.equals(ready.getReason()) && ready.getMessage() != null
            && ready.getMessage().startsWith(OwnedStatus.INVALID_SPEC_PREFIX);
        if (!clusterSaysInvalid) {
            return Optional.empty();
        }
        DomainConfigStatus status = copyOf(current);
        status.setPhase(DomainPhase.Broken);
        status.setNode(nodeName);
        status.setObservedGeneration(dc.getMetadata().getGeneration());
        metrics.recordPhase(desired.key(), DomainPhase.Broken.name());
        return Optional.of(new Outcome(status, !status.equals(current), Duration.ofMinutes(5), false));
    }

    private static DomainConfigStatus copyOf(DomainConfigStatus s) {
        return io.fabric8.kubernetes.client.utils.Serialization.clone(s);
    }

    /** Journals the intent, performs the operation, journals the outcome. Returns whether it succeeded. */
    private boolean perform(String key, Operation op, Journal journal) {
        Journal withIntent = journal.withIntent(op, clock.instant());
        journals.save(key, withIntent);
        if (op instanceof Operation.CreatePaused) {
            metrics.bootAttempted();
        }
        boolean ok;
        Journal after;
        try {
            OperationExecutor.Result r = executor.execute(key, op);
            after = withIntent.withSuccess(op, clock.instant(), r.created());
            LOG.info("{}: {} done", key, op.kind());
            ok = true;
            if (op instanceof Operation.Destroy d && d.reason() == DestroyReason.FORCED) {
                metrics.shutdownForced();
            }
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            after = withIntent.withFailure(op, error, clock.instant());
            LOG.warn("{}: {} failed: {}", key, op.kind(), error);
            if (op.isBootStep()) {
                metrics.bootFailed();
            }
            ok = false;
        }
        journals.save(key, after);
        try {
            poller.pollNow();
        } catch (RuntimeException e) {
            LOG.warn("{}: hypervisor poll after {} failed: {}", key, op.kind(), e.getMessage());
        }
        return ok;
    }

    private List<AdapterView> adapterViews(DomainConfig dc, Context<DomainConfig> context) {
        List<AdapterView> views = new ArrayList<>();
        for (String adapterName : dc.getSpec().getAdapters()) {
            Optional<PhysicalIOAdapter> found = context.getSecondaryResources(PhysicalIOAdapter.class).stream()
                .filter(a -> a.getMetadata().getName().equals(adapterName)).findFirst();
            if (found.isEmpty() || found.get().getSpec() == null || !nodeName.equals(found.get().getSpec().getNodeName())) {
                views.add(new AdapterView(adapterName, null, null, false, false));
                continue;
            }
            PhysicalIOAdapter a = found.get();
            String heldBy = a.getStatus() == null ? null : a.getStatus().getAssignedTo();
            boolean holderRunning = heldBy != null && holderIsLive(heldBy, context);
            boolean dom0 = a.getSpec().getIfname() != null && dom0Ports.contains(a.getSpec().getIfname());
            views.add(new AdapterView(adapterName, a.getSpec(), heldBy, holderRunning, dom0));
        }
        return views;
    }

    private static boolean holderIsLive(String heldBy, Context<DomainConfig> context) {
        String[] nsName = heldBy.split("/", 2);
        if (nsName.length != 2) {
            return false;
        }
        return context.getPrimaryCache().list(nsName[0], dc -> dc.getMetadata().getName().equals(nsName[1]))
            .anyMatch(dc -> dc.getStatus() != null && dc.getStatus().getPhase() != null
                && switch (dc.getStatus().getPhase()) {
                    case Running, Booting, Paused, Halting -> true;
                    default -> false;
                });
    }

    private static Dependencies dependencies(DomainConfig dc, Context<DomainConfig> context) {
        String ns = dc.getMetadata().getNamespace();
        Map<String, List<String>> startAfter = new HashMap<>();
        Map<String, DomainPhase> phases = new HashMap<>();
        context.getPrimaryCache().list(ns).forEach(other -> {
            if (other.getSpec() != null) {
                startAfter.put(other.getMetadata().getName(), other.getSpec().getStartAfter());
            }
            phases.put(other.getMetadata().getName(), other.getStatus() == null ? null : other.getStatus().getPhase());
        });
        startAfter.putIfAbsent(dc.getMetadata().getName(), dc.getSpec().getStartAfter());
        return Dependencies.of(dc.getMetadata().getName(), startAfter, phases);
    }

    private DomainConfigStatus withForeignConditions(DomainConfigStatus decided, DomainConfigStatus current) {
        if (decided.getNode() == null) {
            decided.setNode(nodeName);
        }
        if (current == null) {
            return decided;
        }
        List<Condition> merged = new ArrayList<>(decided.getConditions());
        for (Condition c : current.getConditions()) {
            if (FOREIGN_CONDITIONS.contains(c.getType()) && decided.condition(c.getType()) == null) {
                merged.add(c);
            }
        }
        decided.setConditions(merged);
        return decided;
    }

    void statusWritten() {
        metrics.statusWritten();
    }
}
