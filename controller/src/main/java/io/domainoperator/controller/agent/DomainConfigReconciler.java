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
public final class DomainConfigReconciler implements Reconciler<DomainConfig>, Cleaner<DomainConfig> {
    private static final java.time.Duration CONFLICT_RETRY = java.time.Duration.ofMillis(200);
    private final DomainStep step;
    private final SimpleInboundEventSource<DomainConfig> hypervisorEvents = new SimpleInboundEventSource<>("hypervisor");

    public DomainConfigReconciler(DomainStep step) {
        this.step = step;
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
    public UpdateControl<DomainConfig> reconcile(DomainConfig dc, Context<DomainConfig> context) {
        DomainStep.Outcome outcome = step.run(dc, context, false);
        if (outcome.statusChanged() && !writeStatus(dc, outcome, context)) {
            return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(CONFLICT_RETRY);
        }
        return UpdateControl.<DomainConfig>noUpdate().rescheduleAfter(outcome.requeueAfter());
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
        try {
            CrashSwitch.reached(CrashPoint.STATUS_WRITE_BEFORE);
            context.getClient().resource(copy).updateStatus();
            CrashSwitch.reached(CrashPoint.STATUS_WRITE_AFTER);
            step.statusWritten();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
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
    public DeleteControl cleanup(DomainConfig dc, Context<DomainConfig> context) {
        DomainStep.Outcome outcome = step.run(dc, context, true);
        if (outcome.forgotten()) {
            return DeleteControl.defaultDelete();
        }
        if (outcome.statusChanged() && !writeStatus(dc, outcome, context)) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(CONFLICT_RETRY);
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.requeueAfter());
    }
}
