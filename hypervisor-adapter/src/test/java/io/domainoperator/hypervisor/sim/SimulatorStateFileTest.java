package io.domainoperator.hypervisor.sim;

import static io.domainoperator.hypervisor.sim.SimulatedHypervisorTest.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a state file, the simulator's domains outlive it: the next simulator on the file sees them as they were. */
class SimulatorStateFileTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    @TempDir
    Path dir;

    private SimulatedHypervisor sim() {
        return SimulatedHypervisor.builder().clock(clock).sleeper(clock::advance)
            .latencies(SimulatorLatencies.uniform(Duration.ZERO, Duration.ofSeconds(5)))
            .stateFile(dir.resolve("sim/domains.json")).build();
    }

    @Test
    void domainsTheirStatesAndAPendingShutdownOutliveTheSimulator() {
        SimulatedHypervisor first = sim();
        first.createPaused(definition("paused", 1, 64));
        first.createPaused(definition("running", 2, 128));
        first.unpause("running");
        first.createPaused(definition("halting", 1, 64));
        first.unpause("halting");
        first.requestShutdown("halting");
        first.createPaused(definition("gone", 1, 64));
        first.destroy("gone");

        SimulatedHypervisor second = sim();
        List<DomainInfo> seen = second.listDomains();
        assertThat(seen).extracting(DomainInfo::name).containsExactly("paused", "running", "halting");
        assertThat(seen).extracting(DomainInfo::state).containsExactly(DomainState.PAUSED, DomainState.RUNNING, DomainState.RUNNING);
        assertThat(seen).extracting(DomainInfo::domainId).doesNotHaveDuplicates();
        assertThatThrownBy(() -> second.createPaused(definition("running", 1, 64))).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("exists already");
        assertThat(second.createPaused(definition("new", 1, 64)).domainId()).as("ids are not reused").isEqualTo(5);

        clock.advance(Duration.ofSeconds(6));
        assertThat(second.listDomains()).filteredOn(d -> d.name().equals("halting")).extracting(DomainInfo::state)
            .as("the shutdown the first simulator was asked for takes effect").containsExactly(DomainState.shutdown(
                io.domainoperator.hypervisor.ShutdownReason.POWEROFF));
    }

    @Test
    void everyCallThatReturnedIsOnDiskWhenManyRunAtOnce() throws Exception {
        SimulatedHypervisor first = SimulatedHypervisor.builder().stateFile(dir.resolve("sim/domains.json")).build();
        int calls = 40;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<DomainInfo>> created = new java.util.ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String name = "vm-" + i;
                created.add(pool.submit(() -> {
                    first.createPaused(definition(name, 1, 16));
                    first.unpause(name);
                    return null;
                }));
            }
            for (var f : created) {
                f.get();
            }
        }
        // Shares writes between calls (group commit), yet each call returned only once its change was written.
        List<DomainInfo> seen = SimulatedHypervisor.builder().stateFile(dir.resolve("sim/domains.json")).build().listDomains();
        assertThat(seen).hasSize(calls).allMatch(d -> d.state().equals(DomainState.RUNNING));
    }
}
