package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.device.AdapterPublisher;
import io.domainoperator.device.AssignmentOutcome;
import io.domainoperator.device.ConvergeReport;
import io.domainoperator.device.DevicePlugin;
import io.domainoperator.device.HostPolicy;
import io.domainoperator.device.NodeView;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passthrough through the device plugin, with the node's PhysicalIOAdapters kept true in the cluster:
 * discovery is published at start and after every move (spec from sysfs merged with what an administrator
 * set; status boundDriver, iommuGroup, inPciback, assignedTo).
 */
public final class DeviceAdapterAssigner implements AdapterAssigner {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAdapterAssigner.class);
    private final DevicePlugin plugin;
    private final KubernetesClient client;
    private final String node;
    private final AtomicReference<HostPolicy> policy;
    private final Supplier<Set<String>> activeDomains;
    private final Clock clock;

    public DeviceAdapterAssigner(DevicePlugin plugin, KubernetesClient client, String node, HostPolicy policy,
                                 Supplier<Set<String>> activeDomains, Clock clock) {
        this.plugin = plugin;
        this.client = client;
        this.node = node;
        this.policy = new AtomicReference<>(policy);
        this.activeDomains = activeDomains;
        this.clock = clock;
    }

    /** At agent start: publish what sysfs shows, finish any half-done move, put free devices where they belong. */
    public void start() {
        publish();
        report("start", plugin.start(view()));
        publish();
    }

    /** debug.enable.usb changed: USB controllers move (never one a running domain holds), modules follow. */
    @Override
    public void knobsChanged(GlobalKnobs knobs) {
        setUsbDebug(knobs.debugEnableUsb());
    }

    public void setUsbDebug(boolean enabled) {
        if (policy.getAndUpdate(p -> p.withUsbDebug(enabled)).usbDebugEnabled() != enabled) {
            report("debug.enable.usb=" + enabled, plugin.converge(view()));
            publish();
        }
    }

    @Override
    public List<String> assign(String domainKey, List<String> adapterNames) {
        AssignmentOutcome outcome = plugin.assign(domainKey, adapterNames, view());
        publish();
        return switch (outcome) {
            case AssignmentOutcome.Assigned a -> a.pciAddresses();
            case AssignmentOutcome.Refused r -> throw new IllegalStateException(r.reason() + ": " + r.message());
            case AssignmentOutcome.Failed f -> throw new IllegalStateException(f.reason() + ": " + f.message());
        };
    }

    @Override
    public void release(String domainKey, List<String> adapterNames) {
        report("release " + domainKey, plugin.release(domainKey, view()));
        publish();
    }

    private NodeView view() {
        return new NodeView(nodeAdapters(), policy.get(), activeDomains.get());
    }

    private List<PhysicalIOAdapter> nodeAdapters() {
        return client.resources(PhysicalIOAdapter.class).list().getItems().stream()
            .filter(a -> a.getSpec() != null && node.equals(a.getSpec().getNodeName())).toList();
    }

    private void publish() {
        List<PhysicalIOAdapter> existing = nodeAdapters();
        for (PhysicalIOAdapter a : AdapterPublisher.publish(node, plugin.snapshot(), existing, policy.get(), plugin.driver(), clock.instant())) {
            PhysicalIOAdapter current = existing.stream().filter(e -> e.getMetadata().getName().equals(a.getMetadata().getName()))
                .findFirst().orElse(null);
            try {
                if (current == null) {
                    var created = client.resource(withoutStatus(a)).create();
                    created.setStatus(a.getStatus());
                    client.resource(created).updateStatus();
                } else {
                    if (!Objects.equals(current.getSpec(), a.getSpec()) || !Objects.equals(current.getMetadata().getLabels(), a.getMetadata().getLabels())) {
                        current.setSpec(a.getSpec());
                        current.getMetadata().setLabels(a.getMetadata().getLabels());
                        current = client.resource(current).update();
                    }
                    if (!Objects.equals(current.getStatus(), a.getStatus())) {
                        current.setStatus(a.getStatus());
                        client.resource(current).updateStatus();
                    }
                }
            } catch (KubernetesClientException e) {
                LOG.warn("PhysicalIOAdapter {}: cannot publish: {}", a.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private static PhysicalIOAdapter withoutStatus(PhysicalIOAdapter a) {
        PhysicalIOAdapter copy = new PhysicalIOAdapter();
        copy.setMetadata(a.getMetadata());
        copy.setSpec(a.getSpec());
        return copy;
    }

    private static void report(String what, ConvergeReport r) {
        if (!r.clean()) {
            LOG.warn("devices ({}): moved {}, failures {}, module failures {}", what, r.moved(), r.failures(), r.moduleFailures());
        } else if (!r.moved().isEmpty()) {
            LOG.info("devices ({}): moved {}", what, r.moved());
        }
    }
}
