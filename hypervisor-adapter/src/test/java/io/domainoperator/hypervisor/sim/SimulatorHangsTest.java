package io.domainoperator.hypervisor.sim;

import static io.domainoperator.hypervisor.sim.SimulatedHypervisorTest.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hang switches: one call of one domain takes as long as asked, once; the simulated clock shows how long. */
class SimulatorHangsTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatorFaults faults = new SimulatorFaults();
    private final SimulatedHypervisor sim = SimulatedHypervisor.builder().faults(faults).clock(clock)
        .sleeper(clock::advance).build();

    @Test
    void theFirstListThatFindsTheDomainHangsOnce() {
        faults.hangListOnce("stuck", HANG);
        sim.createPaused(definition("other", 1, 64));
        assertThat(timeOf(sim::listDomains)).as("the domain does not exist yet: no hang").isZero();

        sim.createPaused(definition("stuck", 1, 64));
        assertThat(timeOf(sim::listDomains)).isEqualTo(HANG);
        assertThat(timeOf(sim::listDomains)).as("once").isZero();
        assertThat(sim.listDomains()).hasSize(2);
    }

    @Test
    void aShutdownRequestHangsOnlyForItsDomainAndOnlyOnce() {
        faults.hangShutdownOnce("stuck", HANG);
        for (String name : new String[] {"stuck", "other"}) {
            sim.createPaused(definition(name, 1, 64));
            sim.unpause(name);
        }
        assertThat(timeOf(() -> sim.requestShutdown("other"))).isZero();
        assertThat(timeOf(() -> sim.requestShutdown("stuck"))).isEqualTo(HANG);
        assertThat(timeOf(() -> sim.requestShutdown("stuck"))).as("once").isZero();
    }

    @Test
    void clearDisarmsHangsAndAHangMustLast() {
        faults.hangShutdownOnce("stuck", HANG).hangListOnce("stuck", HANG).clear();
        sim.createPaused(definition("stuck", 1, 64));
        sim.unpause("stuck");
        assertThat(timeOf(sim::listDomains)).isZero();
        assertThat(timeOf(() -> sim.requestShutdown("stuck"))).isZero();
        assertThatThrownBy(() -> faults.hangListOnce("x", Duration.ZERO)).hasMessageContaining("positive");
    }

    private Duration timeOf(Runnable call) {
        Instant before = clock.instant();
        call.run();
        return Duration.between(before, clock.instant());
    }
}
