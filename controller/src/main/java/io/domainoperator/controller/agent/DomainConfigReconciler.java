package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.controller.crash.CrashPoint;
import io.domainoperator.controller.crash.CrashSwitch;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import io.domainoperator.reconciler.DomainEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
public final class DomainConfigReconciler implements Reconciler<DomainConfig>, Cleaner<DomainConfig> {
    private static final java.time.Duration CONFLICT_RETRY = java.time.Duration.ofMillis(200);
    private final DomainStep step;
    private final EventRecorder events;
    private final SimpleInboundEventSource<DomainConfig> hypervisorEvents = new SimpleInboundEventSource<>("hypervisor");
    /** The object as our last status write left it, keyed by the resourceVersion it replaced (see {@link #freshest}). */
    private final Map<ResourceID, Written> written = new ConcurrentHashMap<>();
    /** Events of a pass whose status write did not land, recorded with the next pass's (once per reason). */
    private final Map<ResourceID, List<DomainEvent>> unrecorded = new ConcurrentHashMap<>();

    private record Written(String replacedVersion, DomainConfig after) {
    }

    public DomainConfigReconciler(DomainStep step, EventRecorder events) {
        this.step = step;
        this.events = events;
    }

    /** Called by the poller with the hypervisor names that changed; maps them to DomainConfigs to requeue. */
    public void hypervisorChanged(Set<ResourceID> owners) {
        owners.forEach(hypervisorEvents::propagateEvent);
    }

    @Override
    public List<EventSource<?, DomainConfig>> prepareEventSources(EventSourceContext<DomainConfig> context) {
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

    private static Set<ResourceID> related(DomainConfig changed, EventSourceContext<DomainConfig> context) {
        String ns = changed.getMetadata().getNamespace();
        String name = changed.getMetadata().getName();
        List<String> itsDependencies = changed.getSpec() == null ? List.of() : changed.getSpec().getStartAfter();
        return context.getPrimaryCache().list(ns)
            .filter(dc -> dc.getSpec() != null && !dc.getMetadata().getName().equals(name)
                && (dc.getSpec().getStartAfter().contains(name) || itsDependencies.contains(dc.getMetadata().getName())))
            .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<DomainConfig> reconcile(DomainConfig cached, Context<DomainConfig> context) {
        DomainConfig dc = freshest(cached);
        DomainStep.Outcome outcome = step.run(dc, context, false);
        if (!report(dc, outcome, context)) {
            return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(CONFLICT_RETRY);
        }
        return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(outcome.requeueAfter());
    }

    /**
     * The informer's copy, or the one our last status write returned when the informer has not caught up with it
     * yet (its resourceVersion is still the one that write replaced): deciding on the older copy would write a
     * status the server refuses (409) and redo the pass. Any other version is newer than our write, and wins.
     */
    private DomainConfig freshest(DomainConfig cached) {
        ResourceID id = ResourceID.fromResource(cached);
        Written last = written.get(id);
        if (last == null) {
            return cached;
        }
        if (last.replacedVersion().equals(cached.getMetadata().getResourceVersion())) {
            return last.after();
        }
        written.remove(id, last);
        return cached;
    }

    /**
     * Writes the status if it changed, then records the pass's events: an event is recorded once, after the
     * status that carries it lands. Events of a pass whose write did not land wait for the next pass (which
     * usually derives the same ones again: each reason is recorded once). Returns false on a conflict.
     */
    private boolean report(DomainConfig dc, DomainStep.Outcome outcome, Context<DomainConfig> context) {
        ResourceID id = ResourceID.fromResource(dc);
        List<DomainEvent> toRecord = new ArrayList<>(unrecorded.getOrDefault(id, List.of()));
        for (DomainEvent e : outcome.events()) {
            if (toRecord.stream().noneMatch(p -> p.reason().equals(e.reason()))) {
                toRecord.add(e);
            }
        }
        if (outcome.statusChanged() && !writeStatus(dc, outcome, context)) {
            if (!toRecord.isEmpty()) {
                unrecorded.put(id, List.copyOf(toRecord));
            }
            return false;
        }
        unrecorded.remove(id);
        toRecord.forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
        return true;
    }

    /**
     * Replaces the status through the status subresource, locked to the resourceVersion the decision was made
     * on. A JSON patch computed against the informer cache (java-operator-sdk's non-SSA path) fails for good
     * when the cache is one write behind ("replace" of a field the server no longer has); a whole-status
     * replace either lands or conflicts, and a conflict means: look again with the fresh object.
     */
    private boolean writeStatus(DomainConfig dc, DomainStep.Outcome outcome, Context<DomainConfig> context) {
        DomainConfig copy = new DomainConfig();
        copy.setMetadata(dc.getMetadata());
        copy.setSpec(dc.getSpec());
        copy.setStatus(outcome.status());
        ResourceID id = ResourceID.fromResource(dc);
        try {
            CrashSwitch.reached(CrashPoint.STATUS_WRITE_BEFORE);
            DomainConfig after = context.getClient().resource(copy).updateStatus();
            CrashSwitch.reached(CrashPoint.STATUS_WRITE_AFTER);
            step.statusWritten();
            if (after != null && after.getMetadata() != null && dc.getMetadata().getResourceVersion() != null) {
                written.put(id, new Written(dc.getMetadata().getResourceVersion(), after));
            }
            return true;
        } catch (KubernetesClientException e) {
            written.remove(id);
            if (e.getCode() == 409) {
                step.statusConflicted();
                return false;
            }
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A journal that cannot be written (read-only or full state directory) is reported on the DomainConfig; the
     * retry (unlimited, see NodeAgent) applies the pending change once the directory is writable again.
     */
    @Override
    public ErrorStatusUpdateControl<DomainConfig> updateErrorStatus(DomainConfig dc, Context<DomainConfig> context, Exception e) {
        StateDirFault.status(dc, e, java.time.Clock.systemUTC()).filter(s -> !s.equals(dc.getStatus())).ifPresent(s -> {
            try {
                writeStatus(dc, new DomainStep.Outcome(s, true, java.time.Duration.ZERO, false), context);
            } catch (KubernetesClientException writeFailed) {
                // the retry reports it again
            }
        });
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @Override
    public DeleteControl cleanup(DomainConfig cached, Context<DomainConfig> context) {
        DomainConfig dc = freshest(cached);
        DomainStep.Outcome outcome = step.run(dc, context, true);
        if (outcome.forgotten()) {
            ResourceID id = ResourceID.fromResource(dc);
            written.remove(id);
            unrecorded.remove(id);
            outcome.events().forEach(e -> events.record(dc, e.type().name(), e.reason(), e.message()));
            return DeleteControl.defaultDelete();
        }
        if (!report(dc, outcome, context)) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(CONFLICT_RETRY);
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.requeueAfter());
    }
}
