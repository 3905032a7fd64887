package io.domainoperator.controller.agent;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hypervisor chaos soak, out of the default run: 1,000 simulated domains under 20% failing operations,
 * half-created domains, ignored shutdowns, crashes, vanished domains and hangs for a minute, invariants checked
 * all along, then every domain must converge ({@link HypervisorChaos}). Prints the figures. Run:
 * {@code ./mvnw -B -pl controller -am test -Pchaos} ({@code -Dchaos.domains=N -Dchaos.seconds=S -Dchaos.seed=K}).
 */
@Tag("chaos")
class HypervisorChaosSoakTest {
    @TempDir
    Path state;
    @TempDir
    Path sysfs;

    @Test
    void aThousandDomainsUnderHypervisorChaosKeepEveryPromiseAndConverge() throws Exception {
        HypervisorChaos.Plan plan = new HypervisorChaos.Plan(Integer.getInteger("chaos.domains", 1000),
            Duration.ofSeconds(Integer.getInteger("chaos.seconds", 60)), true, Long.getLong("chaos.seed", 16));
        System.out.println(new HypervisorChaos(plan, state, sysfs).run());
    }
}
