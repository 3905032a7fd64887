package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorFaults;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hypervisor list hangs: a domain whose create failed (its next decision needs a look at the hypervisor) is
 * looked at alone after the list deadline and decided on that, and a domain whose create and unpause returned needs
 * no list at all.
 */
class HungListIT {
    @TempDir
    Path state;

    @Test
    void aFailedCreateIsDecidedOnALookAtItsDomainAloneWhileEveryListHangs() {
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(13)
            .faults(new SimulatorFaults().failCreateFor("bad")).build());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), hv)) {
            hv.hold("listDomains", HeldHypervisor.EVERY_LIST);
            await("a list hangs").atMost(Duration.ofSeconds(30)).until(() -> hv.entered("listDomains", HeldHypervisor.EVERY_LIST));
            h.apply(AgentHarness.domain("bad"));
            h.apply(AgentHarness.domain("good"));

            await("good Running with every list hanging").atMost(Duration.ofSeconds(60))
                .until(() -> h.get("good").getStatus() != null && h.get("good").getStatus().getPhase() == DomainPhase.Running);
            await("bad's failed boot decided on a look at bad alone").atMost(Duration.ofSeconds(60))
                .until(() -> h.eventReasons("bad").contains("BootFailed"));
            assertThat(h.get("bad").getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
            assertThat(hv.look("bad")).as("no domain was left behind by the failed creates").isEmpty();
        } finally {
            hv.releaseAll();
        }
    }
}
