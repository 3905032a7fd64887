package io.domainoperator.hypervisor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.testing.Specs;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The chaos switches: every operation can fail before its effect, and each fault that took effect is counted. */
class SimulatorOperationFaultsTest {
    private final SimulatorFaults faults = new SimulatorFaults();
    private final SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(4).faults(faults).build();

    @Test
    void withCertainFailureEveryOperationFailsBeforeItsEffectAndIsCounted() {
        sim.createPaused(DefinitionFromSpec.inPlace("web", UUID.randomUUID(), Specs.minimal("web", 1, 64)));
        faults.operationFailureProbability(1);
        assertThatThrownBy(() -> sim.unpause("web")).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("simulated unpause failure");
        assertThat(only().state().paused()).as("the failed unpause changed nothing").isTrue();
        assertThatThrownBy(() -> sim.requestShutdown("web")).hasMessageContaining("simulated shutdown failure");
        assertThatThrownBy(() -> sim.destroy("web")).hasMessageContaining("simulated destroy failure");
        assertThat(sim.peek()).as("the failed destroy left the domain").hasSize(1);
        sim.destroy("nothing-here"); // idempotent: no domain, nothing to fail

        faults.clear();
        sim.unpause("web");
        faults.ignoreShutdownFor("web");
        sim.requestShutdown("web");
        sim.destroy("web");
        assertThat(sim.peek()).isEmpty();
        assertThat(faults.injected()).containsEntry("unpause-failure", 1L).containsEntry("shutdown-failure", 1L)
            .containsEntry("destroy-failure", 1L).containsEntry("shutdown-ignored", 1L);
    }

    @Test
    void createFaultsAreCountedByKind() {
        faults.failCreateFor("a").halfCreateFor("b");
        assertThatThrownBy(() -> sim.createPaused(DefinitionFromSpec.inPlace("a", UUID.randomUUID(), Specs.minimal("a", 1, 64))))
            .hasMessageContaining("simulated create failure");
        assertThatThrownBy(() -> sim.createPaused(DefinitionFromSpec.inPlace("b", UUID.randomUUID(), Specs.minimal("b", 1, 64))))
            .hasMessageContaining("half-way");
        assertThat(faults.injected()).containsEntry("create-failure", 1L).containsEntry("half-create", 1L);
    }

    private DomainInfo only() {
        assertThat(sim.peek()).hasSize(1);
        return sim.peek().get(0);
    }
}
