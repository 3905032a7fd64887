package io.domainoperator.controller;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Breaks the start-up cycle: the device plugin needs the agent's view of active domains, the agent needs an assigner. */
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
    public void release(String domainKey, List<String> adapterNames) {
        target.get().release(domainKey, adapterNames);
    }
}
