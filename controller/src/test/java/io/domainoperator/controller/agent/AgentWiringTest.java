package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent builds its adapter assigner from its own view of active domains, and tells it every knob change. */
class AgentWiringTest {
    @TempDir
    Path state;

    @Test
    void theAssignerGetsTheAgentsViewAndHearsTheKnobsFromStartOn() {
        AgentConfig config = new AgentConfig("node-a", "sim", state, state.resolve("run"), state.resolve("img"),
            Path.of("/nonexistent-sysfs"), List.of(), GlobalKnobs.defaults(), null, "127.0.0.1", 0, false,
            Duration.ofSeconds(30), null, 7, false, false, List.of());
        AtomicReference<Supplier<Set<String>>> view = new AtomicReference<>();
        List<GlobalKnobs> heard = new ArrayList<>();
        AdapterAssigner recording = new NoMovesAssigner() {
            @Override
            public void knobsChanged(GlobalKnobs knobs) {
                heard.add(knobs);
            }
        };

        NodeAgent agent = new NodeAgent(config, null, SimulatedHypervisor.builder().build(), activeDomains -> {
            view.set(activeDomains);
            return recording;
        }, Clock.systemUTC());
        agent.applyKnobs(GlobalKnobs.defaults().with(Map.of(GlobalKnobs.DEBUG_ENABLE_USB, "true")));

        assertThat(view.get().get()).as("active domains before the agent started").isEmpty();
        assertThat(heard).extracting(GlobalKnobs::debugEnableUsb).containsExactly(false, true);
    }

    @Test
    void theGuestsParentGroupIsDomainOperatorUnlessATestNamesAnotherAndAPathIsRefused() {
        assertThat(AgentWiring.guestCgroupParent(null)).isEqualTo("domain-operator");
        assertThat(AgentWiring.guestCgroupParent(" ")).isEqualTo("domain-operator");
        assertThat(AgentWiring.guestCgroupParent("domain-operator-mig-a")).isEqualTo("domain-operator-mig-a");
        for (String bad : List.of("../escape", "a/b", ".hidden")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentWiring.guestCgroupParent(bad))
                .as(bad).hasMessageContaining(AgentWiring.GUEST_CGROUP_PARENT_ENV).hasMessageContaining("unset it");
        }
    }
}
