package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 in the agent, against an API server and the simulator: a vcpus/memoryMiB change within the maxima is
 * applied to the running domain (ConfigApplied AppliedLive, same domain id, no restart), and spec.desiredState
 * pauses and resumes it (status.phase Paused, then Running), again without a restart.
 */
class LiveChangesAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;

    @Test
    void resizesLiveThenPausesAndResumesWithoutARestart() {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(7).build();
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), sim)) {
            DomainConfig dc = AgentHarness.domain("grow");
            dc.getSpec().setMaxVcpus(4);
            dc.getSpec().setMaxMemoryMiB(256);
            h.apply(dc);
            await("Running").atMost(WAIT).until(() -> phase(h) == DomainPhase.Running);
            int id = domain(sim).domainId();

            edit(h, spec -> { spec.setVcpus(3); spec.setMemoryMiB(192); });
            await("ConfigApplied AppliedLive").atMost(WAIT).untilAsserted(() -> {
                var applied = h.get("grow").getStatus().condition(Conditions.CONFIG_APPLIED);
                assertThat(applied.getStatus()).isEqualTo(Conditions.TRUE);
                assertThat(applied.getReason()).isEqualTo("AppliedLive");
            });
            assertThat(domain(sim).vcpus()).isEqualTo(3);
            assertThat(domain(sim).memoryBytes()).isEqualTo(192L << 20);

            edit(h, spec -> spec.setDesiredState(DesiredState.Paused));
            await("phase Paused").atMost(WAIT).until(() -> phase(h) == DomainPhase.Paused);
            assertThat(domain(sim).state().paused()).isTrue();

            edit(h, spec -> spec.setDesiredState(DesiredState.Running));
            await("Running again").atMost(WAIT).until(() -> phase(h) == DomainPhase.Running
                && domain(sim).state().isAlive());
            assertThat(domain(sim).domainId()).as("the same domain throughout").isEqualTo(id);
            assertThat(h.get("grow").getStatus().getRestartCount()).isZero();
        }
    }

    private static void edit(AgentHarness h, Consumer<io.domainoperator.api.v1alpha1.DomainConfigSpec> change) {
        h.client.resources(DomainConfig.class).inNamespace("default").withName("grow").edit(dc -> {
            change.accept(dc.getSpec());
            return dc;
        });
    }

    private static DomainPhase phase(AgentHarness h) {
        DomainConfig dc = h.get("grow");
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }

    private static DomainInfo domain(SimulatedHypervisor sim) {
        return sim.listDomains().stream().filter(d -> d.name().equals("grow")).findFirst().orElseThrow();
    }
}
