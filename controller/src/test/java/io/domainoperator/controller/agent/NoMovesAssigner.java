package io.domainoperator.controller.agent;

import java.util.List;

/** An assigner that moves no device: tests override only the call they watch (knobs, holder checks). */
class NoMovesAssigner implements AdapterAssigner {
    @Override
    public List<String> assign(String domainKey, List<String> adapterNames) {
        return List.of();
    }

    @Override
    public void release(String domainKey, List<String> adapterNames) {
    }
}
