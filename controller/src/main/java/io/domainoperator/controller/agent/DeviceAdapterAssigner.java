package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.device.AdapterPublisher;
import io.domainoperator.device.AssignmentOutcome;
import io.domainoperator.device.AssignmentRules;
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
 *
 * <p>An assign or a release waits on no API server: it reads the adapters from the agent's informer cache
 * ({@link NodeAdapterCache}) and the publish after it goes to {@link AdapterStatusPublisher}'s thread. Who holds a
 * device is the node's own record (the device journal), not the published {@code assignedTo}. A {@code keepInHost}
 * that arrives while an assign runs is honoured at the sysfs write ({@link io.domainoperator.device.HostKeptDevices},
 * wired by {@link AgentWiring}) and once more after the move: an adapter whose newest object keeps it in the host is
 * given back before the domain is created.
 */
public final class DeviceAdapterAssigner implements AdapterAssigner {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAdapterAssigner.class);
    private final DevicePlugin plugin;
    private final KubernetesClient client;
    private final String node;
    private final AtomicReference<HostPolicy> policy;
    private final Supplier<Set<String>> activeDomains;
    private final Clock clock;
    private final NodeAdapterCache cache;
    private final AdapterStatusPublisher publisher = new AdapterStatusPublisher(this::publishOrThrow);

    public DeviceAdapterAssigner(DevicePlugin plugin, KubernetesClient client, String node, HostPolicy policy,
                                 Supplier<Set<String>> activeDomains, Clock clock) {
        this(plugin, client, node, policy, activeDomains, clock, new NodeAdapterCache(client, node));
    }

    /** @param cache this node's adapters as the agent's informer sees them; started by {@link #start()} */
    public DeviceAdapterAssigner(DevicePlugin plugin, KubernetesClient client, String node, HostPolicy policy,
                                 Supplier<Set<String>> activeDomains, Clock clock, NodeAdapterCache cache) {
        this.plugin = plugin;
        this.client = client;
        this.node = node;
        this.policy = new AtomicReference<>(policy);
        this.activeDomains = activeDomains;
        this.clock = clock;
        this.cache = cache;
    }

    /**
     * At agent start (before the loop, when the API server must answer anyway): publish what sysfs shows, finish any
     * half-done move, put free devices where they belong. Start reads the adapters from the server itself, so that
     * objects it has just created are in the view.
     */
    public void start() {
        cache.start(START_SYNC);
        publishOrThrow(listed());
        report("start", plugin.start(new NodeView(listed(), policy.get(), activeDomains.get())));
        publisher.request();
    }

    private static final java.time.Duration START_SYNC = java.time.Duration.ofMinutes(2);

    /** debug.enable.usb changed: USB controllers move (never one a running domain holds), modules follow. */
    @Override
    public void knobsChanged(GlobalKnobs knobs) {
        setUsbDebug(knobs.debugEnableUsb());
    }

    public void setUsbDebug(boolean enabled) {
        if (policy.getAndUpdate(p -> p.withUsbDebug(enabled)).usbDebugEnabled() != enabled) {
            report("debug.enable.usb=" + enabled, plugin.converge(view()));
            publisher.request();
        }
    }

    @Override
    public List<String> assign(String domainKey, List<String> adapterNames) {
        AssignmentOutcome outcome = plugin.assign(domainKey, adapterNames, this::view);
        publisher.request();
        return switch (outcome) {
            case AssignmentOutcome.Assigned a -> keptInHostSince(domainKey, a.pciAddresses());
            case AssignmentOutcome.Refused r -> throw new IllegalStateException(r.reason() + ": " + r.message());
            case AssignmentOutcome.Failed f -> throw new IllegalStateException(f.reason() + ": " + f.message());
        };
    }

    /**
     * The assign's answer, unless the newest object of a device it moved now keeps it in the host (the mark arrived
     * after that device's own move): then the domain's devices go back before it is created, and the boot fails
     * naming the rule (the engine retries, and refuses once its own view shows the mark).
     */
    private List<String> keptInHostSince(String domainKey, List<String> pciAddresses) {
        for (PhysicalIOAdapter a : cache.list()) {
            String address = a.getSpec().getPciAddress();
            if (address != null && pciAddresses.contains(address)) {
                var refusal = AssignmentRules.refusal(a, null, policy.get());
                if (refusal.isPresent()) {
                    LOG.warn("assign {}: {} arrived during the move; giving its devices back", domainKey, refusal.get().message());
                    release(domainKey, List.of());
                    throw new IllegalStateException(refusal.get().conditionReason() + ": " + refusal.get().message());
                }
            }
        }
        return pciAddresses;
    }

    @Override
    public void confirmHeld(String domainKey, List<String> pciAddresses) {
        List<String> lost = plugin.notHeldBy(domainKey, pciAddresses);
        if (!lost.isEmpty()) {
            java.util.Map<String, String> holders = plugin.holders();
            throw new IllegalStateException("AdapterBusy: " + String.join("; ", lost.stream().map(a -> "device " + a
                + " is now held by " + java.util.Objects.requireNonNullElse(holders.get(a), "no domain")
                + ", not " + domainKey).toList()) + "; the domain is not created with it (it boots once it holds it again)");
        }
    }

    @Override
    public void release(String domainKey, List<String> adapterNames) {
        report("release " + domainKey, plugin.release(domainKey, view()));
        publisher.request();
    }

    /** The node's own record: the device journal, fresher than the published {@code assignedTo}. */
    @Override
    public String holderOf(PhysicalIOAdapter adapter) {
        String address = adapter.getSpec() == null ? null : adapter.getSpec().getPciAddress();
        return address == null ? AdapterAssigner.super.holderOf(adapter) : plugin.holders().get(address);
    }

    @Override
    public void close() {
        publisher.close();
        cache.close();
    }

    private NodeView view() {
        return new NodeView(cache.list(), policy.get(), activeDomains.get());
    }

    private List<PhysicalIOAdapter> listed() {
        return client.resources(PhysicalIOAdapter.class).list().getItems().stream()
            .filter(a -> a.getSpec() != null && node.equals(a.getSpec().getNodeName())).toList();
    }

    private void publishOrThrow() {
        publishOrThrow(cache.list().stream().map(a -> client.getKubernetesSerialization().clone(a)).toList());
    }

    /** Writes what differs from {@code existing} (objects the caller may change); throws if any write failed. */
    private void publishOrThrow(List<PhysicalIOAdapter> existing) {
        List<String> failed = new java.util.ArrayList<>();
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
                if (e.getCode() == 409) {
                    // The cache is behind the server (an object just created, or an administrator's edit): try again.
                    LOG.debug("PhysicalIOAdapter {}: conflict, publishing again: {}", a.getMetadata().getName(), e.getMessage());
                } else {
                    LOG.warn("PhysicalIOAdapter {}: cannot publish: {}", a.getMetadata().getName(), e.getMessage());
                }
                failed.add(a.getMetadata().getName());
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("cannot publish " + failed);
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
