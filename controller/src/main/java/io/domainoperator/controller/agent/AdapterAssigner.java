package io.domainoperator.controller.agent;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Moves a domain's PhysicalIOAdapters to the passthrough driver and back. The device plugin implements it
 * over sysfs; nodes without passthrough hardware (and tests) use {@link #NONE}.
 */
public interface AdapterAssigner {

    /** Binds the adapters to pciback/vfio-pci for domainKey; returns their PCI addresses, in order. */
    List<String> assign(String domainKey, List<String> adapterNames);

    /** Gives the adapters back to their host drivers. Idempotent. */
    void release(String domainKey, List<String> adapterNames);

    /**
     * The DomainConfig (ns/name) holding this adapter, as the node knows it: by default what the adapter's status
     * says ({@code assignedTo}); the device plugin answers from its own journal, which a publish only copies.
     */
    default String holderOf(io.domainoperator.api.v1alpha1.PhysicalIOAdapter adapter) {
        return adapter.getStatus() == null ? null : adapter.getStatus().getAssignedTo();
    }

    /**
     * Throws, naming the adapter and its holder, unless domainKey still holds every one of these PCI addresses. Run
     * just before a create passes them through: the create was decided on a view of the holders that another
     * domain's assign may have changed since. Nodes without a device plugin pass nothing through.
     */
    default void confirmHeld(String domainKey, List<String> pciAddresses) {
    }

    /** The agent stops. */
    default void close() {
    }

    /** The node's knobs changed (e.g. {@code debug.enable.usb}); called at start too, with the flags' knobs. */
    default void knobsChanged(GlobalKnobs knobs) {
    }

    /** Builds the assigner once the agent can say which domains are active (ns/name keys of existing domains). */
    @FunctionalInterface
    interface Factory {
        AdapterAssigner create(Supplier<Set<String>> activeDomains);
    }

    /** For nodes that pass nothing through: asking for an adapter is an error naming it. */
    AdapterAssigner NONE = new AdapterAssigner() {
        @Override
        public List<String> assign(String domainKey, List<String> adapterNames) {
            if (!adapterNames.isEmpty()) {
                throw new IllegalStateException("this node has no device plugin; cannot pass through " + adapterNames);
            }
            return List.of();
        }

        @Override
        public void release(String domainKey, List<String> adapterNames) {
        }
    };
}
