package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.api.v1alpha1.ReadyCondition;
import io.domainoperator.controller.probe.GuestProber;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.metrics.DomainMetrics;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.AdapterView;
import io.domainoperator.reconciler.Decision;
import io.domainoperator.reconciler.Dependencies;
import io.domainoperator.reconciler.DesiredDomain;
import io.domainoperator.reconciler.DomainDecider;
import io.domainoperator.reconciler.DomainEvent;
import io.domainoperator.reconciler.GuestReadiness;
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
    private static final Set<String> FOREIGN_CONDITIONS = Set.of(Conditions.SPEC_VALID, Conditions.PLACED, Conditions.NODE_LOST,
        io.domainoperator.api.v1alpha1.DrainConditions.DRAINING);
    private static final Duration MIN_REQUEUE = Duration.ofMillis(20);
    /** How often a domain at rest is looked at anyway (see {@link #atRest}). */
    static final Duration AT_REST_RECHECK = Duration.ofMinutes(10);

    private final String nodeName;
    private final Supplier<DomainDecider> engine;
    private final HypervisorPoller poller;
    private final FileJournalStore<Journal> journals;
    private final OperationExecutor executor;
    private final OperationRunner runner;
    private final StatusRefusals refusals;
    private final DomainMetrics metrics;
    private final Set<String> dom0Ports;
    private final GuestProber prober;
    private final Clock clock;
    private final Supplier<Duration> waitReportedAfter;
    /** Hypervisor name -> DomainConfig, so the poller's "domain changed" becomes a requeue. */
    private final Map<String, ResourceID> ownerByDomainName;
    private final MemoryAdmission memory;
    /** DomainConfig keys a live migration holds on this node (none unless {@link #holdDuringMigrations}). */
    private volatile java.util.function.Predicate<DomainConfig> migrationHolds = dc -> false;

    /**
     * What the reconcile should tell JOSDK, and the events to record once the status that carries them is written
     * (at once when there is no status to write).
     */
    public record Outcome(DomainConfigStatus status, boolean statusChanged, Duration requeueAfter, boolean forgotten,
                          List<DomainEvent> events) {
        Outcome(DomainConfigStatus status, boolean statusChanged, Duration requeueAfter, boolean forgotten) {
            this(status, statusChanged, requeueAfter, forgotten, List.of());
        }
    }

    /**
     * waitReportedAfter: how long a hypervisor call or look may take at least before the status says the domain waits
     * for it (longer when the node's recent calls of its kind took long: {@link OperationRunner#longAfter});
     * prober: the guests' readiness probes; memory: rule 11's admission of creates.
     */
    DomainStep(String nodeName, ImageRoots imageRoots, Supplier<DomainDecider> engine, HypervisorPoller poller,
               FileJournalStore<Journal> journals, OperationExecutor executor, OperationRunner runner,
               DomainMetrics metrics, Set<String> dom0Ports, GuestProber prober, Clock clock,
               Map<String, ResourceID> ownerByDomainName, Supplier<Duration> waitReportedAfter,
               MemoryAdmission memory) {
        this.prober = prober;
        this.ownerByDomainName = ownerByDomainName;
        this.memory = memory;
        this.nodeName = nodeName;
        this.engine = engine;
        this.poller = poller;
        this.journals = journals;
        this.executor = executor;
        this.runner = runner;
        this.refusals = new StatusRefusals(nodeName, imageRoots, metrics, clock);
        this.metrics = metrics;
        this.dom0Ports = Set.copyOf(dom0Ports);
        this.clock = clock;
        this.waitReportedAfter = waitReportedAfter;
    }

    /** Lets a live migration hold domains: the loop leaves them alone while it does. */
    void holdDuringMigrations(java.util.function.Predicate<DomainConfig> holds) {
        this.migrationHolds = holds;
    }

    /** The domain waits for its call or the look after it: its status says so once the wait is long for this node. */
    private Outcome waiting(DomainConfig dc, OperationRunner.Waiting waiting) {
        StatusRefusals.Refusal r = refusals.waiting(dc, waiting, runner.longAfter(waiting, waitReportedAfter.get()));
        return new Outcome(r.status(), r.changed(), r.requeueAfter(), false);
    }

    /**
     * One pass, as a chain of named steps: {@link #observe}, wait while the domain's last operation or the look
     * after it is unfinished, {@link #refuseClash}, {@link #decide}, {@link #recordDecision}, then either
     * {@link #forget} or {@link #act}, and {@link #report}. Every pass is timed and counted by operation and
     * result, whatever way it ends; a pass that starts an operation is timed until the operation ends.
     */
    public Outcome run(DomainConfig given, Context<DomainConfig> context, boolean deleting) {
        Pass pass = new Pass(metrics.startReconcile());
        try {
            if (!deleting && migrationHolds.test(given)) {
                // A live migration owns the domain on this node now (MigrationAgent): nothing to decide or write.
                return pass.ended("migrating", new Outcome(given.getStatus(), false, Duration.ofSeconds(1), false));
            }
            boolean movedAway = !deleting && !nodeName.equals(given.getSpec().getNodeName());
            // spec.nodeName left this node: halt the domain here, then let it go (NodeMove).
            DomainConfig dc = movedAway ? NodeMove.asHalt(given) : given;
            String callKey = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
            Optional<OperationRunner.Waiting> inFlight = runner.waitingFor(callKey, poller.snapshot());
            if (inFlight.isPresent()) {
                // Asked before observing: a call that ended between a look at the journal and this question would
                // leave the decision on the journal and view from before its outcome (a second create, a second
                // assign). Only this pass starts a call for the domain, so none can begin before the next line.
                return pass.ended("waiting", waiting(dc, inFlight.get()));
            }
            Observation seen;
            try {
                seen = observe(dc, deleting);
            } catch (io.domainoperator.controller.journal.NewerJournalException e) {
                String key = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
                LOG.warn("{}: not acted on: {}", key, e.getMessage());
                return pass.ended("invalid", NewerJournalRefusal.refuse(dc, key, e, nodeName, clock));
            }
            Optional<OperationRunner.Waiting> waiting = runner.waitingFor(seen.key(), seen.snapshot());
            if (waiting.isPresent()) {
                return pass.ended("waiting", waiting(dc, waiting.get()));
            }
            Optional<StatusRefusals.Refusal> refused = refuseClash(dc, seen)
                .or(() -> refusals.refuseImagePaths(dc, seen.key(), seen.desired(), seen.observed()));
            if (refused.isPresent()) {
                StatusRefusals.Refusal r = refused.get();
                return pass.ended("invalid", new Outcome(r.status(), r.changed(), r.requeueAfter(), false));
            }
            Decision decision = decide(dc, context, seen);
            LOG.debug("{}: decided {} on version {}", seen.key(), decision.operation().kind(),
                dc.getMetadata().getResourceVersion());
            recordDecision(seen, decision);
            pass.operation = decision.operation().kind();
            if (decision.operation() instanceof Operation.ForgetDomain) {
                return pass.ended("success", forget(dc, seen, decision));
            }
            if (movedAway && !decision.hasOperation() && decision.status().getPhase() == DomainPhase.Halted
                && seen.observed().isEmpty()) {
                return pass.ended("success", letGo(dc, seen, decision));
            }
            if (decision.hasOperation()) {
                runner.start(seen.key(), seen.hypervisorName(), decision.operation(), decision.journal(), pass.timer);
                pass.handedOver = true;
                return report(dc, seen, decision);
            }
            return pass.ended("idle", report(dc, seen, decision));
        } finally {
            if (!pass.handedOver) {
                metrics.reconciled(pass.timer, pass.operation, pass.result);
            }
        }
    }

    /** The metrics of one pass: "error" and no operation unless the pass says otherwise before it ends. */
    private static final class Pass {
        private final Timer.Sample timer;
        private String operation = "None";
        private String result = "error";
        /** The pass started an operation, whose end stops the timer. */
        private boolean handedOver;

        Pass(Timer.Sample timer) {
            this.timer = timer;
        }

        Outcome ended(String result, Outcome outcome) {
            this.result = result;
            return outcome;
        }
    }

    /**
     * What one pass starts from: the desired domain, its journal, its hypervisor name, the poller's last snapshot and
     * the domain as observed (the snapshot's, or what its last call said while no later poll answered).
     */
    private record Observation(String key, DesiredDomain desired, Journal journal, String hypervisorName,
                               HypervisorPoller.Snapshot snapshot, Optional<DomainInfo> observed, Instant now) {
    }

    /**
     * Desired (the object), journal (memory, written through to disk), observed (the poller's last snapshot, or the
     * domain's last call's own report until a poll started after it answered: {@link OperationRunner#view}).
     */
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
        HypervisorPoller.Snapshot snapshot = poller.snapshot();
        return new Observation(key, desired, journal, hvName, snapshot, runner.view(key, hvName, snapshot), clock.instant());
    }

    private Optional<StatusRefusals.Refusal> refuseClash(DomainConfig dc, Observation seen) {
        return refusals.refuseInvalid(dc, seen.desired(), seen.observed());
    }

    /**
     * The pure engine, with this node's adapters, the namespace's startAfter graph from the informer cache and the
     * readiness probe's verdict on the guest, and the node's memory (a create goes ahead only with its memory
     * reserved: rule 11).
     */
    private Decision decide(DomainConfig dc, Context<DomainConfig> context, Observation seen) {
        List<AdapterView> adapters = adapterViews(dc, context);
        Dependencies deps = StartAfterGraph.around(dc, context.getPrimaryCache());
        GuestReadiness guest = guestReadiness(dc, seen);
        DomainDecider decider = engine.get();
        return memory.decide(seen.key(), m -> decider.decide(seen.desired(), seen.observed(), seen.journal(),
            adapters, deps, guest, m, seen.now()));
    }

    /**
     * The probe's verdict while the domain runs and has a probe (also while it halts: a power-button press is repeated
     * while the guest counts as up); otherwise no probing.
     */
    private GuestReadiness guestReadiness(DomainConfig dc, Observation seen) {
        ReadinessProbe probe = dc.getSpec().getReadinessProbe();
        Optional<DomainInfo> d = seen.observed().filter(i -> i.ours() && !i.state().hasStopped() && !i.state().dying());
        if (probe == null || d.isEmpty()) {
            prober.forget(seen.key());
            return GuestReadiness.unknown();
        }
        return prober.readiness(seen.key(), d.get().name(), d.get().domainId(), probe);
    }

    /**
     * The journal with the observation folded in, when it changed and no operation follows: an operation's intent,
     * written before its call, carries the same fold (one synced write before each call, not two), and a forgotten
     * domain's journal is deleted. Events go with the outcome.
     */
    private void recordDecision(Observation seen, Decision decision) {
        if (!decision.hasOperation() && !decision.journal().equals(seen.journal())) {
            journals.save(seen.key(), decision.journal());
        }
    }

    /** Halted, released and cleaned up: the journal and the metrics go, the finalizer may be removed. */
    private Outcome forget(DomainConfig dc, Observation seen, Decision decision) {
        forgetHere(dc, seen);
        LOG.info("{}: ForgetDomain: halted, released and cleaned up; removing the finalizer", seen.key());
        return new Outcome(decision.status(), false, Duration.ZERO, true, decision.events());
    }

    /** What this node keeps of a domain it no longer runs: its journal, call state, probe, memory and metrics. */
    private void forgetHere(DomainConfig dc, Observation seen) {
        journals.delete(seen.key());
        runner.forget(seen.key());
        prober.forget(seen.key());
        memory.forget(seen.key());
        metrics.recordPhase(seen.key(), null);
        metrics.forgetDomain(seen.key());
        ownerByDomainName.remove(seen.hypervisorName(), ResourceID.fromResource(dc));
    }

    /**
     * Halted and released for the node spec.nodeName names now: forgotten here as after a deletion, but the object
     * and its finalizer stay (the other node's) and so do the disk copies (the DomainConfig still exists).
     */
    private Outcome letGo(DomainConfig dc, Observation seen, Decision decision) {
        forgetHere(dc, seen);
        LOG.info("{}: halted and released; spec.nodeName names {} now", seen.key(), dc.getSpec().getNodeName());
        return new Outcome(decision.status(), false, DomainStep.AT_REST_RECHECK, true, decision.events());
    }

    /**
     * The status to write (with the cluster controller's conditions kept) and when to look again. A pass that
     * starts an operation without changing the phase or carrying an event writes nothing: the operation's end
     * brings the next visible transition (Booting, then Running: two writes, not one per step in between).
     */
    private Outcome report(DomainConfig dc, Observation seen, Decision decision) {
        Duration requeue = decision.hasOperation() ? waitReportedAfter.get() : decision.requeueAfter();
        DomainConfigStatus status = withForeignConditions(decision.status(), dc.getStatus());
        status.getConditions().removeIf(c -> StatusRefusals.WAITING.equals(c.getType())); // decided: no longer waiting
        executor.describeOnNode(status.getUuid(), seen.hypervisorName(), dc.getSpec(), status);
        metrics.recordPhase(seen.key(), status.getPhase() == null ? null : status.getPhase().name());
        boolean changed = !status.equals(dc.getStatus());
        DomainConfigStatus current = dc.getStatus();
        if (changed && decision.hasOperation() && decision.events().isEmpty() && current != null
            && current.getPhase() == status.getPhase() && current.condition(StatusRefusals.WAITING) == null) {
            changed = false;
        }
        if (!decision.hasOperation() && !changed && atRest(status) && requeue.compareTo(AT_REST_RECHECK) < 0) {
            requeue = AT_REST_RECHECK;
        }
        return new Outcome(status, changed, requeue.compareTo(MIN_REQUEUE) < 0 ? MIN_REQUEUE : requeue, false,
            decision.events());
    }

    /**
     * Running as asked, or halted by its policy: nothing changes until the poller sees the domain change or an
     * informer sees the DomainConfig, an adapter or a dependency change, and each of those triggers a pass. The
     * timer is only a safety net, so it is long: 1,000 idle domains cost no periodic work.
     */
    private static boolean atRest(DomainConfigStatus status) {
        if (status.getPhase() == DomainPhase.Halted) {
            return true;
        }
        Condition ready = status.condition(Conditions.READY);
        return status.getPhase() == DomainPhase.Running && ready != null && Conditions.TRUE.equals(ready.getStatus())
            && Conditions.RUNNING.equals(ready.getReason());
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
            String heldBy = executor.holderOf(a); // the node's own record: no wait for a publish to come back
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
        return context.getPrimaryCache().get(new ResourceID(nsName[1], nsName[0]))
            .filter(dc -> dc.getStatus() != null && dc.getStatus().getPhase() != null
                && switch (dc.getStatus().getPhase()) {
                    case Running, Booting, Paused, Halting -> true;
                    default -> false;
                }).isPresent();
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
            decided.setConditions(StatusRefusals.withCondition(merged, derived));
        }
        return decided;
    }

    void statusWritten() {
        metrics.statusWritten();
    }

    void statusConflicted() {
        metrics.statusConflicted();
    }
}
