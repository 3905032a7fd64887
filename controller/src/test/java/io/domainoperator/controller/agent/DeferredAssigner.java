package io.domainoperator.controller.agent;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * For tests that build an assigner after the agent (with the agent's {@code activeDomainKeys}) and swap it in.
 * Production wiring needs none: {@link AgentWiring} gives the agent a factory. Every method forwards, the defaults
 * included: a missed {@code holderOf} and {@code confirmHeld} once left HypervisorChaosSmokeTest's agent on the published
 * holder, without the create's last check, and one GPU ran in two domains there.
 */
public final class DeferredAssigner implements AdapterAssigner {
    private final AtomicReference<AdapterAssigner> target = new AtomicReference<>(AdapterAssigner.NONE);

    public void set(AdapterAssigner assigner) {
        target.set(assigner);
    }

    @Override
    public List<String> assign(String domainKey, List<String> adapterNames) {
        return target.get().assign(domainKey, adapterNames);
    }

    @Override
    public void knobsChanged(GlobalKnobs knobs) {
        target.get().knobsChanged(knobs);
    }

    @Override
    public void release(String domainKey, List<String> adapterNames) {
        target.get().release(domainKey, adapterNames);
    }

    @Override
    public String holderOf(io.domainoperator.api.v1alpha1.PhysicalIOAdapter adapter) {
        return target.get().holderOf(adapter);
    }

    @Override
    public void confirmHeld(String domainKey, List<String> pciAddresses) {
        target.get().confirmHeld(domainKey, pciAddresses);
    }

    @Override
    public void close() {
        target.get().close();
    }
}
