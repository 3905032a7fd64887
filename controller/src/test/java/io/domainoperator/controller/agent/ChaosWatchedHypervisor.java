package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The chaos run's simulator as the agent sees it, with one invariant checked at every call, as it is made: no
 * domain is created or unpaused once its DomainConfig is gone (deleted, finalizer removed). {@code gone} is filled
 * by {@link ChaosInvariants} from API listings made before the call, so a hit is a real breach, not a race.
 */
final class ChaosWatchedHypervisor extends ForwardingHypervisor {
    private final Set<String> gone;
    private final Consumer<String> violation;
    final AtomicLong checks = new AtomicLong();

    ChaosWatchedHypervisor(SimulatedHypervisor sim, Set<String> gone, Consumer<String> violation) {
        super(sim);
        this.gone = gone;
        this.violation = violation;
    }

    private void notGone(String call, String name) {
        checks.incrementAndGet();
        if (gone.contains(name)) {
            violation.accept(call + " " + name + " after its DomainConfig was gone");
        }
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        notGone("createPaused", definition.name());
        return super.createPaused(definition);
    }

    @Override
    public void unpause(String name) {
        notGone("unpause", name);
        super.unpause(name);
    }
}
