package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node agent's java-operator-sdk reconciler for DomainConfigs on this node. JOSDK guarantees one
 * reconcile at a time per DomainConfig and runs many in parallel; every reconcile is one {@link DomainStep}:
 * decide, journal the intent, act, journal the outcome, write status only when it changed.
 *
 * <p>Triggers: the DomainConfig itself; PhysicalIOAdapters it names (an adapter freed elsewhere lets it boot);
 * the hypervisor poller (a domain changed state); and the timers the decision asks for.
 *
 * <p>It is registered to see every event, deletions included, and keeps its finalizer itself (java-operator-sdk's
 * {@code triggerReconcilerOnAllEvents}): the finalizer is added while the first boot runs, not before it
 * ({@link FinalizerWrite}); an object marked for deletion is halted and then lets its finalizer go; one deleted before
 * its finalizer landed is halted from its last known state ({@link DeletedBeforeFinalizer}).
 */
public final class DomainConfigReconciler implements Reconciler<DomainConfig>, AutoCloseable {
    private final DomainStep step;
    private final EventRecorder events;
    private final SimpleInboundEventSource<DomainConfig> hypervisorEvents = new SimpleInboundEventSource<>("hypervisor");
    /** Status writes and the events they carry, off the reconcile threads (see {@link StatusWriter}). */
    private final StatusWriter statuses;

    /** A spec.nodeName that changed under a domain: see {@link NodeMove}. */
    private final NodeMove moves;
    private final String node;
    private final KubernetesClient client;
    private final DeletedBeforeFinalizer deletedEarly;
    /** UIDs whose finalizer this agent removed: their delete event that follows has nothing left to halt. */
    private final Set<String> released = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DomainConfigReconciler(DomainStep step, EventRecorder events, KubernetesClient client, NodeMove moves, String node) {
        this.step = step;
        this.events = events;
        this.moves = moves;
        this.node = node;
        this.client = client;
        this.statuses = new StatusWriter(dc -> client.resource(dc).updateStatus(), dc -> client.resource(dc).update(),
            (dc, toRecord) -> toRecord.forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message())),
            new StatusWriter.Listener() {
                @Override
                public void written() {
                    step.statusWritten();
                }

                @Override
                public void conflicted(ResourceID id) {
                    step.statusConflicted();
                    hypervisorEvents.propagateEvent(id); // decide again on the fresh object
                }

                @Override
                public void decideAgain(ResourceID id) {
                    hypervisorEvents.propagateEvent(id);
                }
            });
        this.deletedEarly = new DeletedBeforeFinalizer((dc, context) -> step.run(dc, context, true), (dc, outcome) -> {
            statuses.forget(ResourceID.fromResource(dc));
            outcome.events().forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
        });
    }

    /** Called by the poller with the hypervisor names that changed; maps them to DomainConfigs to requeue. */
    public void hypervisorChanged(Set<ResourceID> owners) {
        for (ResourceID id : owners) {
            if (deletedEarly.holds(id)) {
                deletedEarly.kick(id);
            } else {
                hypervisorEvents.propagateEvent(id);
            }
        }
    }

    @Override
    public List<EventSource<?, DomainConfig>> prepareEventSources(EventSourceContext<DomainConfig> context) {
        context.getPrimaryCache().addIndexer(StartAfterGraph.DEPENDENTS_INDEX, StartAfterGraph::indexKeys);
        var adapterConfig = InformerEventSourceConfiguration.from(PhysicalIOAdapter.class, DomainConfig.class)
            .withName("adapters")
            // Adapters are found by name from the DomainConfig: an adapter published before the domain was
            // created must be found too, which a reverse index built from adapter events alone would miss.
            .<DomainConfig>withPrimaryToSecondaryMapper(dc -> dc.getSpec() == null ? Set.of()
                : dc.getSpec().getAdapters().stream().map(ResourceID::new).collect(Collectors.toSet()))
            .withSecondaryToPrimaryMapper(adapter -> context.getPrimaryCache()
                .list(dc -> dc.getSpec() != null && dc.getSpec().getAdapters().contains(adapter.getMetadata().getName()))
                .map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build();
        // startAfter: a domain's phase change concerns the domains that wait for it and those it waits for.
        var dependencyConfig = InformerEventSourceConfiguration.from(DomainConfig.class, DomainConfig.class)
            .withName("dependencies")
            .withSecondaryToPrimaryMapper(changed -> related(changed, context))
            .build();
        return List.of(new InformerEventSource<>(adapterConfig, context),
            new InformerEventSource<>(dependencyConfig, context), hypervisorEvents);
    }

    /** The DomainConfigs that start after the changed one (the index), and those it starts after (by name). */
    private static Set<ResourceID> related(DomainConfig changed, EventSourceContext<DomainConfig> context) {
        String ns = changed.getMetadata().getNamespace();
        String name = changed.getMetadata().getName();
        Set<ResourceID> related = new java.util.HashSet<>();
        StartAfterGraph.dependentsOf(changed, context.getPrimaryCache()).forEach(d -> related.add(ResourceID.fromResource(d)));
        if (changed.getSpec() != null) {
            changed.getSpec().getStartAfter().stream().filter(n -> !n.equals(name))
                .map(n -> new ResourceID(n, ns)).filter(id -> context.getPrimaryCache().get(id).isPresent())
                .forEach(related::add);
        }
        related.remove(ResourceID.fromResource(changed));
        return related;
    }

    /**
     * One pass on the freshest view of the object (the status decided last, until the informer shows it landed):
     * decide and act, then hand the status to the writer and return. Nothing here waits for the API server.
     */
    @Override
    public UpdateControl<DomainConfig> reconcile(DomainConfig cached, Context<DomainConfig> context) {
        if (context.isPrimaryResourceDeleted()) {
            deleted(cached, context);
            return UpdateControl.noUpdate();
        }
        if (deletedEarly.holds(ResourceID.fromResource(cached))) {
            // The domain of a deleted object of this name is still halting: a new object must not share its journal.
            return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(WAIT_FOR_PREVIOUS_NODE);
        }
        DomainConfig dc = statuses.freshest(NewestCopy.of(cached, context));
        if (dc.isMarkedForDeletion()) {
            return cleanup(dc, context);
        }
        Optional<Duration> waiting = waitForPreviousNode(dc);
        if (waiting.isPresent()) {
            statuses.ensureFinalizer(dc);
            return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(waiting.get());
        }
        if (moves.movedAway(dc) && !moves.ranHere(dc)) {
            // Not this node's to halt: another node reports it (e.g. the source of a live migration to this node).
            return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(DomainStep.AT_REST_RECHECK);
        }
        DomainStep.Outcome outcome = step.run(dc, context, false);
        statuses.ensureFinalizer(dc); // after the boot started, ahead of its status, on the writer's thread
        if (moves.movedAway(dc)) {
            reportMovedAway(dc, outcome);
        } else {
            statuses.report(dc, outcome.status(), outcome.statusChanged(), outcome.events());
        }
        return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(outcome.requeueAfter());
    }

    /**
     * The node this DomainConfig names boots nothing while another node's report says a domain may run there: it
     * looks again soon, and says why once in an Event (its status is the other node's until that node lets go).
     */
    private Optional<Duration> waitForPreviousNode(DomainConfig dc) {
        Optional<String> previous = moves.waitsFor(dc);
        previous.filter(p -> moves.firstWait(dc, p)).ifPresent(p -> events.record(dc, "Normal", NodeMove.WAITING,
            NodeMove.waitMessage(dc, p, node)));
        return previous.map(p -> WAIT_FOR_PREVIOUS_NODE);
    }

    private static final Duration WAIT_FOR_PREVIOUS_NODE = Duration.ofSeconds(2);

    /**
     * The halt of a domain whose spec.nodeName left this node is reported while this node's word is the last on the
     * object (never over a newer node's report); its end, the release, once, with an Event.
     */
    private void reportMovedAway(DomainConfig dc, DomainStep.Outcome outcome) {
        if (!moves.reportsLast(dc)) {
            return;
        }
        if (outcome.forgotten()) {
            statuses.report(dc, moves.released(dc), true, List.of(new io.domainoperator.reconciler.DomainEvent(
                io.domainoperator.reconciler.DomainEvent.Type.Normal, NodeMove.MOVED,
                moves.released(dc).condition(io.domainoperator.api.v1alpha1.Conditions.READY).getMessage())));
            return;
        }
        if (outcome.statusChanged() && outcome.status() != null) {
            // The engine names spec.nodeName's node; the domain is still here until it is released.
            outcome.status().setNode(node);
        }
        statuses.report(dc, outcome.status(), outcome.statusChanged(), outcome.events());
    }

    /**
     * A journal that cannot be written (read-only or full state directory) is reported on the DomainConfig; the
     * retry (unlimited, see NodeAgent) applies the pending change once the directory is writable again.
     */
    @Override
    public ErrorStatusUpdateControl<DomainConfig> updateErrorStatus(DomainConfig dc, Context<DomainConfig> context, Exception e) {
        DomainConfig fresh = statuses.freshest(dc);
        StateDirFault.status(fresh, e, java.time.Clock.systemUTC()).filter(s -> !s.equals(fresh.getStatus()))
            .ifPresent(s -> statuses.report(fresh, s, true, List.of()));
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * Marked for deletion: halt, release and clean up, then let the finalizer go (when it holds it: an object deleted
     * while another component's finalizer keeps it is halted the same way).
     */
    private UpdateControl<DomainConfig> cleanup(DomainConfig dc, Context<DomainConfig> context) {
        if (released.contains(String.valueOf(dc.getMetadata().getUid()))) {
            return UpdateControl.noUpdate(); // done, finalizer let go: another component's finalizer keeps the object
        }
        Optional<Duration> waiting = waitForPreviousNode(dc);
        if (waiting.isPresent()) {
            // Deleted before the previous node let go: that node halts it and removes the finalizer.
            return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(waiting.get());
        }
        DomainStep.Outcome outcome = step.run(dc, context, true);
        if (outcome.forgotten()) {
            statuses.forget(ResourceID.fromResource(dc));
            outcome.events().forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
            if (dc.hasFinalizer(DomainConfig.FINALIZER)) {
                released.add(String.valueOf(dc.getMetadata().getUid()));
                io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils.removeFinalizer(client, dc,
                    DomainConfig.FINALIZER);
            }
            return UpdateControl.noUpdate();
        }
        statuses.report(dc, outcome.status(), outcome.statusChanged(), outcome.events());
        return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(outcome.requeueAfter());
    }

    /**
     * The object is gone from the API server. After our own finalizer removal there is nothing left to do; otherwise
     * it went before the finalizer landed (or someone removed it), and its domain is halted from its last known state.
     */
    private void deleted(DomainConfig lastKnown, Context<DomainConfig> context) {
        if (released.remove(String.valueOf(lastKnown.getMetadata().getUid()))) {
            return;
        }
        if (moves.movedAway(lastKnown) && !moves.ranHere(lastKnown)) {
            return; // another node's domain
        }
        DomainStep.Outcome outcome = step.run(lastKnown, context, true);
        if (outcome.forgotten()) {
            statuses.forget(ResourceID.fromResource(lastKnown));
            outcome.events().forEach(e -> events.record(lastKnown, e.type().name(), e.reason(), e.message()));
            return;
        }
        deletedEarly.take(lastKnown, context, outcome.requeueAfter());
    }

    @Override
    public void close() {
        deletedEarly.close();
        statuses.close();
    }
}
