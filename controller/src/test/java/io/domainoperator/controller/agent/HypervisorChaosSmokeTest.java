package io.domainoperator.controller.agent;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's short run of the hypervisor chaos harness ({@link HypervisorChaos}): 30 domains, 8 s of faults, no guest
 * crashes (a crash soon after boot backs off two minutes, too long for CI); the soak is
 * {@link HypervisorChaosSoakTest}.
 */
class HypervisorChaosSmokeTest {
    @TempDir
    Path state;
    @TempDir
    Path sysfs;

    @Test
    void underHypervisorFaultsEveryPromiseHoldsAndEveryDomainConverges() throws Exception {
        String figures = new HypervisorChaos(new HypervisorChaos.Plan(30, Duration.ofSeconds(8), false, 16), state, sysfs).run();
        System.out.println(figures);
    }
}
