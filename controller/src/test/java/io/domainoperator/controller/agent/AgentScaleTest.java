package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale harness, out of the default run: one node agent brings N simulated domains to Running through the
 * whole loop (API emulation, JOSDK, journal fsyncs, status patches), then deletes them. Prints the figures.
 * Run: {@code ./mvnw -B -pl controller -am test -Pscale -Dscale.domains=500}
 */
@Tag("scale")
class AgentScaleTest {
    @TempDir
    Path state;

    @Test
    void manyDomainsBootAndHalt() {
        int n = Integer.getInteger("scale.domains", 300);
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(1).latencies(SimulatorLatencies.NONE)
            .host(4096, 1L << 50).build();
        GlobalKnobs knobs = new GlobalKnobs(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), false);
        try (AgentHarness h = new AgentHarness(state, knobs, sim)) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                h.apply(AgentHarness.domain("vm-" + i));
            }
            long applied = System.nanoTime();
            await("all Running").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                h.client.resources(DomainConfig.class).inNamespace("default").list().getItems().stream()
                    .filter(dc -> dc.getStatus() != null && dc.getStatus().getPhase() == DomainPhase.Running).count() == n);
            long running = System.nanoTime();
            double writes = h.agent.registry().get("domainoperator.status.writes").counter().count();
            assertThat(sim.listDomains()).hasSize(n);

            h.client.resources(DomainConfig.class).inNamespace("default").delete();
            await("all deleted").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                h.client.resources(DomainConfig.class).inNamespace("default").list().getItems().isEmpty());
            long gone = System.nanoTime();
            assertThat(sim.listDomains()).isEmpty();

            System.out.printf("AGENT SCALE: %d domains: applied in %.1f s, all Running after %.1f s (%.1f domains/s),"
                    + " %.0f status writes (%.1f per domain), all halted and deleted in %.1f s%n",
                n, (applied - start) / 1e9, (running - start) / 1e9, n / ((running - start) / 1e9), writes, writes / n,
                (gone - running) / 1e9);
        }
    }
}
