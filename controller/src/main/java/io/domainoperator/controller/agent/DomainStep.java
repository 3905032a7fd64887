package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.ReadyCondition;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.metrics.DomainMetrics;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.AdapterView;
import io.domainoperator.reconciler.Decision;
import io.domainoperator.reconciler.Dependencies;
import io.domainoperator.reconciler.DesiredDomain;
import io.domainoperator.reconciler.DestroyReason;
import io.domainoperator.reconciler.DomainDecider;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.Operation;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Timer;
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
    private static final Set<String> FOREIGN_CONDITIONS = Set.of(Conditions.SPEC_VALID, Conditions.PLACED, Conditions.NODE_LOST);
    private static final Duration MIN_REQUEUE = Duration.ofMillis(20);

    private final String nodeName;
    private final ImageRoots imageRoots;
    private final Supplier<DomainDecider> engine;
    private final HypervisorPoller poller;
    private final FileJournalStore<Journal> journals;
    private final OperationExecutor executor;
    private final EventRecorder events;
    private final DomainMetrics metrics;
    private final Set<String> dom0Ports;
    private final Clock clock;
    /** Hypervisor name -> DomainConfig, so the poller's "domain changed" becomes a requeue. */
    private final Map<String, ResourceID> ownerByDomainName;
    private final MemoryAdmission memory;

    /** What the reconcile should tell JOSDK. */
    public record Outcome(DomainConfigStatus status, boolean statusChanged, Duration requeueAfter, boolean forgotten) {
    }

    public DomainStep(String nodeName, ImageRoots imageRoots, Supplier<DomainDecider> engine, HypervisorPoller poller,
                      FileJournalStore<Journal> journals, OperationExecutor executor, EventRecorder events,
                      DomainMetrics metrics, Set<String> dom0Ports, Clock clock, Map<String, ResourceID> ownerByDomainName,
                      MemoryAdmission memory) {
        this.ownerByDomainName = ownerByDomainName;
        this.memory = memory;
        this.nodeName = nodeName;
        this.imageRoots = imageRoots;
        this.engine = engine;
        this.poller = poller;
        this.journals = journals;
        this.executor = executor;
        this.events = events;
        this.metrics = metrics;
        this.dom0Ports = Set.copyOf(dom0Ports);
        this.clock = clock;
    }

    /**
     * One pass, as a chain of named steps: {@link #observe}, {@link #refuseClash}, {@link #decide},
     * {@link #recordDecision} (journal and events), then either {@link #forget} or {@link #act}, and
     * {@link #report}. Every pass is timed and counted by operation and result, whatever way it ends.
     */
    public Outcome run(DomainConfig dc, Context<DomainConfig> context, boolean deleting) {
        Pass pass = new Pass(metrics.startReconcile());
        try {
            Observation seen;
            try {
                seen = observe(dc, deleting);
            } catch (io.domainoperator.controller.journal.NewerJournalException e) {
                String key = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
                LOG.warn("{}: not acted on: {}", key, e.getMessage());
                return pass.ended("invalid", NewerJournalRefusal.refuse(dc, key, e, nodeName, clock));
            }
            Optional<Outcome> refused = refuseClash(dc, seen).or(() -> refuseImagePaths(dc, seen));
            if (refused.isPresent()) {
                return pass.ended("invalid", refused.get());
            }
            Decision decision = decide(dc, context, seen);
            recordDecision(dc, seen, decision);
            pass.operation = decision.operation().kind();
            if (decision.operation() instanceof Operation.ForgetDomain) {
                return pass.ended("success", forget(dc, seen, decision));
            }
            String result = act(seen.key(), decision);
            return pass.ended(result, report(dc, seen, decision));
        } finally {
            metrics.reconciled(pass.timer, pass.operation, pass.result);
        }
    }

    /** The metrics of one pass: "error" and no operation unless the pass says otherwise before it ends. */
    private static final class Pass {
        private final Timer.Sample timer;
        private String operation = "None";
        private String result = "error";

        Pass(Timer.Sample timer) {
            this.timer = timer;
        }

        Outcome ended(String result, Outcome outcome) {
            this.result = result;
            return outcome;
        }
    }

    /** What one pass starts from: the desired domain, its journal, its hypervisor name and what the poller saw. */
    private record Observation(String key, DesiredDomain desired, Journal journal, String hypervisorName,
                               Optional<DomainInfo> observed, Instant now) {
    }

    /** Desired (the object), journal (the disk), observed (the poller's last snapshot); the domain's name is noted for requeues. */
    private Observation observe(DomainConfig dc, boolean deleting) {
        String ns = dc.getMetadata().getNamespace();
        String name = dc.getMetadata().getName();
        String key = ns + "/" + name;
        Journal journal = journals.load(key).orElse(Journal.empty());
        Long generation = dc.getMetadata().getGeneration();
        DesiredDomain desired = new DesiredDomain(ns, name, generation == null ? 0 : generation, dc.getSpec(),
            deleting || dc.isMarkedForDeletion(), dc.getStatus());
        String hvName = DomainDecider.hypervisorName(desired, journal);
        ownerByDomainName.put(hvName, ResourceID.fromResource(dc));
        return new Observation(key, desired, journal, hvName, poller.snapshot().domain(hvName), clock.instant());
    }

    private Optional<Outcome> refuseClash(DomainConfig dc, Observation seen) {
        return refuseInvalid(dc, seen.desired(), seen.observed());
    }

    /**
     * The pure engine, with this node's adapters, the namespace's startAfter graph from the informer cache and the
     * node's memory (a create goes ahead only with its memory reserved: rule 11).
     */
    private Decision decide(DomainConfig dc, Context<DomainConfig> context, Observation seen) {
        List<AdapterView> adapters = adapterViews(dc, context);
        Dependencies deps = dependencies(dc, context);
        DomainDecider decider = engine.get();
        return memory.decide(seen.key(), m -> decider.decide(seen.desired(), seen.observed(), seen.journal(),
            adapters, deps, m, seen.now()));
    }

    /** The journal with the observation folded in (only when it changed), and the decision's events. */
    private void recordDecision(DomainConfig dc, Observation seen, Decision decision) {
        if (!decision.journal().equals(seen.journal())) {
            journals.save(seen.key(), decision.journal());
        }
        decision.events().forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
    }

    /** Halted, released and cleaned up: the journal and the metrics go, the finalizer may be removed. */
    private Outcome forget(DomainConfig dc, Observation seen, Decision decision) {
        journals.delete(seen.key());
        memory.forget(seen.key());
        metrics.recordPhase(seen.key(), null);
        metrics.forgetDomain(seen.key());
        ownerByDomainName.remove(seen.hypervisorName(), ResourceID.fromResource(dc));
        LOG.info("{}: ForgetDomain: halted, released and cleaned up; removing the finalizer", seen.key());
        return new Outcome(decision.status(), false, Duration.ZERO, true);
    }

    /** Performs the decided operation, if any: "success", "failure", or "idle" when there was nothing to do. */
    private String act(String key, Decision decision) {
        if (!decision.hasOperation()) {
            return "idle";
        }
        return perform(key, decision.operation(), decision.journal()) ? "success" : "failure";
    }

    /** The status to write (with the cluster controller's conditions kept) and when to look again. */
    private Outcome report(DomainConfig dc, Observation seen, Decision decision) {
        Duration requeue = decision.hasOperation() ? MIN_REQUEUE : decision.requeueAfter();
        DomainConfigStatus status = withForeignConditions(decision.status(), dc.getStatus());
        executor.describeOnNode(status.getUuid(), seen.hypervisorName(), dc.getSpec(), status);
        metrics.recordPhase(seen.key(), status.getPhase() == null ? null : status.getPhase().name());
        boolean changed = !status.equals(dc.getStatus());
        return new Outcome(status, changed, requeue.compareTo(MIN_REQUEUE) < 0 ? MIN_REQUEUE : requeue, false);
    }

    /**
     * A spec the cluster controller found clashing with another DomainConfig (duplicate uuid or name: its
     * SpecValid=False) is not acted on while no domain of it exists. The engine validates the spec
     * itself; only the clash is a fleet-wide fact it cannot see. A running domain is left alone; deletion proceeds.
     */
    private Optional<Outcome> refuseInvalid(DomainConfig dc, DesiredDomain desired, Optional<DomainInfo> observed) {
        if (desired.deletionRequested() || observed.isPresent()) {
            return Optional.empty();
        }
        DomainConfigStatus current = dc.getStatus();
        Condition specValid = current == null ? null : current.condition(Conditions.SPEC_VALID);
        if (specValid == null || !Conditions.FALSE.equals(specValid.getStatus())) {
            return Optional.empty();
        }
        DomainConfigStatus status = copyOf(current);
        Condition ready = current.condition(Conditions.READY);
        Condition derived = ReadyCondition.derive(ReadyCondition.mirrors(ready, specValid) ? null : ready, specValid);
        status.setConditions(withCondition(status.getConditions(), derived));
        status.setPhase(DomainPhase.Broken);
        status.setNode(nodeName);
        status.setObservedGeneration(dc.getMetadata().getGeneration());
        metrics.recordPhase(desired.key(), DomainPhase.Broken.name());
        return Optional.of(new Outcome(status, !status.equals(current), Duration.ofMinutes(5), false));
    }

    /**
     * A source outside the allowed image roots, or not a regular file, is refused before any hypervisor call or
     * disk copy: status Broken, Ready=False naming the field and the flag that widens the roots. Only while no
     * domain exists: a running domain is left alone, and deletion proceeds.
     */
    private Optional<Outcome> refuseImagePaths(DomainConfig dc, Observation seen) {
        if (seen.desired().deletionRequested() || seen.observed().isPresent() || dc.getSpec() == null) {
            return Optional.empty();
        }
        Optional<String> why = imageRoots.refusal(dc.getSpec());
        if (why.isEmpty()) {
            return Optional.empty();
        }
        DomainConfigStatus current = dc.getStatus();
        DomainConfigStatus status = current == null ? new DomainConfigStatus() : copyOf(current);
        Condition previous = current == null ? null : current.condition(Conditions.READY);
        boolean same = previous != null && Conditions.FALSE.equals(previous.getStatus())
            && Conditions.IMAGE_PATH_REFUSED.equals(previous.getReason()) && why.get().equals(previous.getMessage());
        if (!same) {
            LOG.error("{}: not booted: {}", seen.key(), why.get());
            Condition ready = new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(Conditions.READY)
                .withStatus(Conditions.FALSE).withReason(Conditions.IMAGE_PATH_REFUSED).withMessage(why.get())
                .withObservedGeneration(dc.getMetadata().getGeneration())
                .withLastTransitionTime(clock.instant().toString()).build();
            status.setConditions(withCondition(status.getConditions(), ready));
        }
        status.setPhase(DomainPhase.Broken);
        status.setNode(nodeName);
        status.setObservedGeneration(dc.getMetadata().getGeneration());
        metrics.recordPhase(seen.key(), DomainPhase.Broken.name());
        // Looked at again when the spec changes (a new generation) or the file appears, so not often.
        return Optional.of(new Outcome(status, !status.equals(current), Duration.ofMinutes(1), false));
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
            if (op instanceof Operation.Destroy d && d.reason().isRestart()) {
                metrics.domainRestarted(key);
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
        if (op instanceof Operation.CreatePaused) {
            memory.created(key, ok);
        }
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
        Condition verdict = decided.condition(Conditions.READY);
        Condition derived = ReadyCondition.derive(verdict, decided.condition(Conditions.SPEC_VALID));
        if (derived != verdict) {
            decided.setConditions(withCondition(merged, derived));
        }
        return decided;
    }

    /** {@code conditions} with {@code c} in place of the one of its type (appended when there is none). */
    private static List<Condition> withCondition(List<Condition> conditions, Condition c) {
        List<Condition> out = new ArrayList<>();
        boolean replaced = false;
        for (Condition existing : conditions) {
            boolean same = existing.getType().equals(c.getType());
            out.add(same ? c : existing);
            replaced |= same;
        }
        if (!replaced) {
            out.add(c);
        }
        return out;
    }

    void statusWritten() {
        metrics.statusWritten();
    }
}
