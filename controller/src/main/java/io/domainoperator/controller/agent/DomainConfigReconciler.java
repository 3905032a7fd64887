package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The node agent's java-operator-sdk reconciler for DomainConfigs on this node. JOSDK guarantees one
 * reconcile at a time per DomainConfig and runs many in parallel; every reconcile is one {@link DomainStep}:
 * decide, journal the intent, act, journal the outcome, write status only when it changed.
 *
 * <p>Triggers: the DomainConfig itself; PhysicalIOAdapters it names (an adapter freed elsewhere lets it boot);
 * the hypervisor poller (a domain changed state); and the timers the decision asks for.
 */
public final class DomainConfigReconciler implements Reconciler<DomainConfig>, Cleaner<DomainConfig>, AutoCloseable {
    private final DomainStep step;
    private final EventRecorder events;
    private final SimpleInboundEventSource<DomainConfig> hypervisorEvents = new SimpleInboundEventSource<>("hypervisor");
    /** Status writes and the events they carry, off the reconcile threads (see {@link StatusWriter}). */
    private final StatusWriter statuses;

    public DomainConfigReconciler(DomainStep step, EventRecorder events, KubernetesClient client) {
        this.step = step;
        this.events = events;
        this.statuses = new StatusWriter(dc -> client.resource(dc).updateStatus(),
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
            });
    }

    /** Called by the poller with the hypervisor names that changed; maps them to DomainConfigs to requeue. */
    public void hypervisorChanged(Set<ResourceID> owners) {
        owners.forEach(hypervisorEvents::propagateEvent);
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
        DomainConfig dc = statuses.freshest(cached);
        DomainStep.Outcome outcome = step.run(dc, context, false);
        statuses.report(dc, outcome.status(), outcome.statusChanged(), outcome.events());
        return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(outcome.requeueAfter());
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

    @Override
    public DeleteControl cleanup(DomainConfig cached, Context<DomainConfig> context) {
        DomainConfig dc = statuses.freshest(cached);
        DomainStep.Outcome outcome = step.run(dc, context, true);
        if (outcome.forgotten()) {
            statuses.forget(ResourceID.fromResource(dc));
            outcome.events().forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
            return DeleteControl.defaultDelete();
        }
        statuses.report(dc, outcome.status(), outcome.statusChanged(), outcome.events());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.requeueAfter());
    }

    @Override
    public void close() {
        statuses.close();
    }
}
