package io.domainoperator.controller.agent;

import static io.domainoperator.controller.agent.AgentHarness.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import io.domainoperator.reconciler.Reasons;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 11 in the agent, on a simulated host with 1 GiB for domains: four 300 MiB domains applied at once
 * reconcile in parallel while each create takes 400 ms, so without the agent's reservations all four would see
 * the same free memory and one create would fail. Three run; the fourth waits Pending with the figures and no
 * failed boot, and boots once memory frees up (the host grows, then a domain goes).
 */
class MemoryAdmissionIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> NAMES = List.of("m0", "m1", "m2", "m3");
    @TempDir
    Path state;

    @Test
    void domainsThatDoNotFitWaitPendingWithTheFiguresAndBootWhenMemoryFreesUp() {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(7).host(8, 1024L << 20)
            .latencies(new SimulatorLatencies(Duration.ofMillis(400), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(200)))
            .build();
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), sim)) {
            NAMES.parallelStream().forEach(n -> h.apply(sized(n, 300)));

            await("three Running, one Pending").atMost(WAIT).untilAsserted(() -> {
                assertThat(NAMES.stream().filter(n -> phase(h, n) == DomainPhase.Running)).hasSize(3);
                assertThat(NAMES.stream().filter(n -> phase(h, n) == DomainPhase.Pending)).hasSize(1);
            });
            String waiting = NAMES.stream().filter(n -> phase(h, n) == DomainPhase.Pending).findFirst().orElseThrow();
            // While the three creates are in flight the figures show them reserved (e.g. 1024 MiB free, 900 MiB
            // reserved); once a poll lists them, they are in the free figure.
            await("the figures settle").atMost(WAIT).untilAsserted(() -> {
                var ready = h.get(waiting).getStatus().condition("Ready");
                assertThat(ready.getReason()).isEqualTo(Reasons.INSUFFICIENT_MEMORY);
                assertThat(ready.getMessage()).contains("needs 300 MiB").contains("124 MiB free")
                    .contains("0 MiB are reserved");
            });
            for (String n : NAMES) {
                assertThat(h.get(n).getStatus().getBootAttempts()).as("%s: no create failed", n).isZero();
                assertThat(h.eventReasons(n)).as("%s events", n).doesNotContain("BootFailed");
            }
            await("InsufficientMemory event").atMost(WAIT)
                .untilAsserted(() -> assertThat(h.eventReasons(waiting)).contains(Reasons.INSUFFICIENT_MEMORY));

            sim.hostMemory(1200L << 20); // still short: 324 MiB free is enough, 300 needed
            await(waiting + " boots once the host has room").atMost(WAIT)
                .untilAsserted(() -> assertThat(phase(h, waiting)).isEqualTo(DomainPhase.Running));

            h.apply(sized("m4", 300));
            await("m4 Pending").atMost(WAIT)
                .untilAsserted(() -> assertThat(phase(h, "m4")).isEqualTo(DomainPhase.Pending));
            h.client.resource(h.get(NAMES.get(0))).delete();
            await("m4 boots when m0 is gone").atMost(WAIT)
                .untilAsserted(() -> assertThat(phase(h, "m4")).isEqualTo(DomainPhase.Running));
            assertThat(h.get("m4").getStatus().getBootAttempts()).isZero();
            long running = IntStream.range(0, 5).mapToObj(i -> "m" + i).filter(n -> phase(h, n) == DomainPhase.Running)
                .count();
            assertThat(running).isEqualTo(4);
        }
    }

    private static DomainConfig sized(String name, int memoryMiB) {
        DomainConfig dc = domain(name);
        dc.getSpec().setMemoryMiB(memoryMiB);
        return dc;
    }

    private static DomainPhase phase(AgentHarness h, String name) {
        DomainConfig dc = h.get(name);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }
}
