package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One domain's hung hypervisor call holds that domain only; its status says what it waits for, since when. */
class NoHeadOfLineIT {
    @TempDir
    Path state;

    @Test
    void aHungCreateForOneDomainDelaysNoOtherAndIsShownInItsStatus() {
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(3).build());
        hv.hold("createPaused", "stuck");
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), hv)) {
            h.apply(AgentHarness.domain("stuck"));
            await("the create of stuck is held").until(() -> hv.entered("createPaused", "stuck"));
            for (int i = 0; i < 5; i++) {
                h.apply(AgentHarness.domain("free-" + i));
            }

            for (int i = 0; i < 5; i++) {
                String name = "free-" + i;
                await(name + " Running while stuck's create hangs").atMost(Duration.ofSeconds(60))
                    .until(() -> h.get(name).getStatus() != null && h.get(name).getStatus().getPhase() == DomainPhase.Running);
            }
            assertThat(hv.entered("createPaused", "stuck")).isTrue();
            await("stuck's status names the call it waits for").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Condition waiting = h.get("stuck").getStatus().condition(StatusRefusals.WAITING);
                assertThat(waiting).isNotNull();
                assertThat(waiting.getReason()).isEqualTo(StatusRefusals.CALL_RUNNING);
                assertThat(waiting.getMessage()).contains("CreatePaused").contains("since");
                assertThat(waiting.getLastTransitionTime()).isNotBlank();
            });

            hv.release("createPaused", "stuck");
            await("stuck Running once its create returns").atMost(Duration.ofSeconds(60))
                .until(() -> h.get("stuck").getStatus().getPhase() == DomainPhase.Running);
            assertThat(h.get("stuck").getStatus().condition(StatusRefusals.WAITING)).as("the wait is over").isNull();
            // Recorded once the Running write has landed, a moment after the server shows it.
            await("Started recorded").atMost(Duration.ofSeconds(30)).until(() -> h.eventReasons("stuck").contains("Started"));
            assertThat(h.eventReasons("stuck")).filteredOn("Started"::equals).hasSize(1);
        }
    }
}
