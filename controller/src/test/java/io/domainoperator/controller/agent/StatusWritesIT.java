package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reaching Running costs at most two status writes, and each event is recorded once, after its status lands. */
class StatusWritesIT {
    private static final GlobalKnobs KNOBS = new GlobalKnobs(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(3), false);

    @TempDir
    Path state;

    private static double count(AgentHarness h, String meter) {
        return h.agent.registry().get(meter).counter().count();
    }

    @Test
    void bootingToRunningTakesAtMostTwoStatusWrites() {
        try (AgentHarness h = new AgentHarness(state, KNOBS, SimulatedHypervisor.builder().seed(5).build())) {
            for (int i = 0; i < 10; i++) {
                h.apply(AgentHarness.domain("vm-" + i));
            }
            for (int i = 0; i < 10; i++) {
                String name = "vm-" + i;
                await(name + " Running").atMost(Duration.ofSeconds(60))
                    .until(() -> h.get(name).getStatus() != null && h.get(name).getStatus().getPhase() == DomainPhase.Running);
            }
            double writes = count(h, "domainoperator.status.writes");
            System.out.printf("STATUS WRITES: %.0f for 10 domains to Running, %.0f conflicts%n", writes,
                count(h, "domainoperator.status.conflicts"));
            assertThat(writes).as("status writes for 10 domains to reach Running").isLessThanOrEqualTo(20);
            for (int i = 0; i < 10; i++) {
                assertThat(h.eventReasons("vm-" + i)).filteredOn("Started"::equals).hasSize(1);
            }
        }
    }

    @Test
    void aRunningWriteAnsweredWithAConflictStillGivesExactlyOneStartedEvent() {
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(5).build());
        hv.hold("unpause", "vm");
        try (AgentHarness h = new AgentHarness(state, KNOBS, hv)) {
            h.apply(AgentHarness.domain("vm"));
            await("Booting written, unpause held").until(() -> hv.entered("unpause", "vm")
                && h.get("vm").getStatus() != null && h.get("vm").getStatus().getPhase() == DomainPhase.Booting);
            h.server.mockServer().expect().put()
                .withPath("/apis/domainoperator.io/v1alpha1/namespaces/default/domainconfigs/vm/status")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                    .withMessage("the object has been modified").build()).once();

            hv.release("unpause", "vm");

            await("Running").atMost(Duration.ofSeconds(60)).until(() -> h.get("vm").getStatus().getPhase() == DomainPhase.Running);
            assertThat(count(h, "domainoperator.status.conflicts")).as("the scripted conflict was met").isEqualTo(1);
            assertThat(count(h, "domainoperator.status.writes")).as("writes that landed").isLessThanOrEqualTo(2);
            await("events written").pollDelay(Duration.ofMillis(500))
                .until(() -> h.eventReasons("vm").contains("Started"));
            assertThat(h.eventReasons("vm")).filteredOn("Started"::equals).hasSize(1);
        }
    }
}
