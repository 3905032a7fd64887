package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create that returned, and an unpause that returned, are observations in themselves: a domain boots to Running
 * while every hypervisor list hangs, with one domain on the hypervisor, and the list that comes back later agrees.
 */
class CallAnswersWithoutListIT {
    @TempDir
    Path state;

    @Test
    void domainsBootToRunningWhileEveryListHangsAndTheLaterListAgrees() {
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(11).build());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), hv)) {
            hv.hold("listDomains", HeldHypervisor.EVERY_LIST);
            await("a list hangs").atMost(Duration.ofSeconds(30)).until(() -> hv.entered("listDomains", HeldHypervisor.EVERY_LIST));
            for (int i = 0; i < 3; i++) {
                h.apply(AgentHarness.domain("vm-" + i));
            }
            for (int i = 0; i < 3; i++) {
                String name = "vm-" + i;
                await(name + " Running with the list still hanging").atMost(Duration.ofSeconds(60))
                    .until(() -> h.get(name).getStatus() != null && h.get(name).getStatus().getPhase() == DomainPhase.Running);
                assertThat(h.get(name).getStatus().getDomainId()).as("the create's own report gives the id").isNotNull();
            }
            long listsDuringHang = h.agent.poller().listCount();

            hv.releaseAll();
            await("a list after the hang").atMost(Duration.ofSeconds(30)).until(() -> h.agent.poller().listCount() > listsDuringHang);
            await("each domain listed once, running").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int i = 0; i < 3; i++) {
                    String name = "vm-" + i;
                    assertThat(hv.listDomains())
                        .filteredOn(d -> d.name().equals(name)).hasSize(1).allMatch(d -> d.state().isAlive());
                }
            });
            for (int i = 0; i < 3; i++) {
                assertThat(h.get("vm-" + i).getStatus().getPhase()).isEqualTo(DomainPhase.Running);
                assertThat(h.eventReasons("vm-" + i)).filteredOn("Started"::equals).hasSize(1);
            }
        } finally {
            hv.releaseAll();
        }
    }
}
