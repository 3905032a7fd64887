package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a node where every create is slow, a create as slow as its peers is not reported as a wait (one more status
 * write per domain, and nothing the domain does not share with all others); one much slower than its peers is.
 */
class SlowNodeWaitIT {
    /** Well past the agent's floor (two poll intervals of {@link AgentHarness#fastKnobs}: 600 ms). */
    private static final Duration CREATE = Duration.ofMillis(1500);

    @TempDir
    Path state;

    @Test
    void aCreateAsSlowAsItsPeersIsNotReportedAndOneFourTimesSlowerIs() {
        SimulatorLatencies slowCreates = new SimulatorLatencies(CREATE, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
        HeldHypervisor hv = new HeldHypervisor(SimulatedHypervisor.builder().seed(5).latencies(slowCreates).build());
        Set<String> reportedWaiting = ConcurrentHashMap.newKeySet();
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), hv);
             Watch watch = h.client.resources(DomainConfig.class).inNamespace("default").watch(new Watcher<>() {
                 @Override
                 public void eventReceived(Action action, DomainConfig dc) {
                     if (dc.getStatus() != null && dc.getStatus().condition(StatusRefusals.WAITING) != null) {
                         reportedWaiting.add(dc.getMetadata().getName());
                     }
                 }

                 @Override
                 public void onClose(WatcherException cause) {
                 }
             })) {
            // The node learns what a create takes here. The very first ones, with nothing to compare with, may be
            // reported against the floor alone.
            for (int i = 0; i < 3; i++) {
                String name = "first-" + i;
                h.apply(AgentHarness.domain(name));
                awaitRunning(h, name);
            }
            List<String> burst = List.of("peer-0", "peer-1", "peer-2", "peer-3", "peer-4");
            burst.forEach(name -> h.apply(AgentHarness.domain(name)));
            burst.forEach(name -> awaitRunning(h, name));
            assertThat(reportedWaiting).as("creates as slow as the node's others: no wait written")
                .doesNotContainAnyElementsOf(burst);

            hv.hold("createPaused", "stuck");
            h.apply(AgentHarness.domain("stuck"));
            await("the create of stuck is held").until(() -> hv.entered("createPaused", "stuck"));
            await("stuck's status names the call it waits for, once its wait is long for this node")
                .atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    var waiting = h.get("stuck").getStatus().condition(StatusRefusals.WAITING);
                    assertThat(waiting).isNotNull();
                    assertThat(waiting.getMessage()).contains("CreatePaused").contains("since");
                });
            hv.release("createPaused", "stuck");
            awaitRunning(h, "stuck");
        }
    }

    private static void awaitRunning(AgentHarness h, String name) {
        await(name + " Running").atMost(Duration.ofSeconds(60)).until(() -> h.get(name).getStatus() != null
            && h.get(name).getStatus().getPhase() == DomainPhase.Running);
    }
}
