package io.domainoperator.controller;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
        UpdateControl<DomainConfig> control;
        if (outcome.statusChanged()) {
            dc.setStatus(outcome.status());
            step.statusWritten();
            control = UpdateControl.patchStatus(dc);
        } else {
            control = UpdateControl.noUpdate();
        }
        return control.rescheduleAfter(outcome.requeueAfter());
    }

    @Override
    public DeleteControl cleanup(DomainConfig dc, Context<DomainConfig> context) {
        DomainStep.Outcome outcome = step.run(dc, context, true);
        if (outcome.forgotten()) {
            return DeleteControl.defaultDelete();
        }
        if (outcome.statusChanged()) {
            dc.setStatus(outcome.status());
            try {
                context.getClient().resource(dc).updateStatus();
                step.statusWritten();
            } catch (KubernetesClientException e) {
                // A conflict means someone wrote in between; the next look recomputes the status.
            }
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.requeueAfter());
    }
}
