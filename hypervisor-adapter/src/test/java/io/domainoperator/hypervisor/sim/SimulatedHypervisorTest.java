package io.domainoperator.hypervisor.sim;

import io.domainoperator.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import io.domainoperator.testing.Specs;

class SimulatedHypervisorTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatorFaults faults = new SimulatorFaults();

    private SimulatedHypervisor sim(long seed, SimulatorLatencies latencies) {
        return SimulatedHypervisor.builder().seed(seed).latencies(latencies).faults(faults).clock(clock)
            .sleeper(clock::advance).host(8, 8L << 30).build();
    }

    private SimulatedHypervisor sim() {
        return sim(1, SimulatorLatencies.uniform(Duration.ZERO, Duration.ofSeconds(5)));
    }

    @Test
    void vcpuTimeGrowsWithSimulatedTimeOnlyWhileRunning() {
        SimulatedHypervisor sim = sim();
        DomainInfo created = sim.createPaused(definition("web", 2, 256));
        assertThat(created.state()).isEqualTo(DomainState.PAUSED);
        assertThat(created.looksHalfCreated()).as("paused with no vCPU time until unpaused").isTrue();

        sim.unpause("web");
        clock.advance(Duration.ofSeconds(10));
        long afterTen = domain(sim, "web").cpuTimeNanos();
        assertThat(afterTen).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20).toNanos());
        assertThat(domain(sim, "web").state().isAlive()).isTrue();

        sim.pause("web");
        clock.advance(Duration.ofSeconds(10));
        assertThat(domain(sim, "web").cpuTimeNanos()).isEqualTo(afterTen);
        sim.unpause("web");
        clock.advance(Duration.ofSeconds(1));
        assertThat(domain(sim, "web").cpuTimeNanos()).isGreaterThan(afterTen);
    }

    @Test
    void aCooperativeGuestPowersOffAfterItsShutdownLatency() {
        SimulatedHypervisor sim = sim();
        sim.createPaused(definition("web", 1, 256));
        sim.unpause("web");
        sim.requestShutdown("web");
        clock.advance(Duration.ofSeconds(4));
        assertThat(domain(sim, "web").state().isAlive()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(domain(sim, "web").state()).isEqualTo(DomainState.shutdown(ShutdownReason.POWEROFF));
        sim.destroy("web");
        assertThat(find(sim, "web")).isEmpty();
        assertThatCode(() -> sim.destroy("web")).as("destroy is idempotent").doesNotThrowAnyException();
    }

    @Test
    void spendsEachOperationsLatencyThroughTheSleeper() {
        List<Duration> slept = new ArrayList<>();
        SimulatedHypervisor sim = SimulatedHypervisor.builder().latencies(SimulatorLatencies.realistic()).clock(clock)
            .sleeper(d -> {
                slept.add(d);
                clock.advance(d);
            }).build();
        sim.createPaused(definition("web", 1, 256));
        sim.unpause("web");
        sim.listDomains();
        sim.destroy("web");
        SimulatorLatencies l = SimulatorLatencies.realistic();
        assertThat(slept).containsExactly(l.create(), l.unpause(), l.list(), l.destroy());
    }

    @Test
    void isDeterministicForASeed() {
        assertThat(scenario(42)).isEqualTo(scenario(42));
        assertThat(scenario(42)).isNotEqualTo(scenario(7));
    }

    /** Twenty creates with random failures and crashes, five simulated minutes, then one poll. */
    private static List<DomainInfo> scenario(long seed) {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(seed).clock(clock).sleeper(clock::advance)
            .faults(new SimulatorFaults().createFailureProbability(0.3).crashesPerHour(60)).build();
        for (int i = 0; i < 20; i++) {
            try {
                sim.createPaused(definition("d" + i, 1, 64));
                sim.unpause("d" + i);
            } catch (HypervisorException e) {
                // part of the scenario
            }
        }
        clock.advance(Duration.ofMinutes(5));
        return sim.listDomains();
    }

    @Test
    void failsCreatesByNameOrByChance() {
        SimulatedHypervisor sim = sim();
        faults.failCreateFor("bad");
        assertThatThrownBy(() -> sim.createPaused(definition("bad", 1, 64))).isInstanceOf(HypervisorException.class)
            .hasMessage("create bad: simulated create failure (SimulatorFaults)");
        assertThat(find(sim, "bad")).isEmpty();
        faults.createFailureProbability(1.0);
        assertThatThrownBy(() -> sim.createPaused(definition("good", 1, 64))).isInstanceOf(HypervisorException.class);
        faults.clear();
        assertThat(sim.createPaused(definition("good", 1, 64)).ours()).isTrue();
    }

    @Test
    void leavesHalfCreatedDomainsBehindUntilDestroyed() {
        SimulatedHypervisor sim = sim();
        faults.halfCreateFor("half");
        assertThatThrownBy(() -> sim.createPaused(definition("half", 1, 64))).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("half-way");
        DomainInfo half = domain(sim, "half");
        assertThat(half.looksHalfCreated()).isTrue();
        assertThatThrownBy(() -> sim.unpause("half")).hasMessageContaining("not fully built");
        clock.advance(Duration.ofMinutes(1));
        assertThat(domain(sim, "half").cpuTimeNanos()).isZero();
        sim.destroy("half");
        assertThat(find(sim, "half")).isEmpty();
    }

    @Test
    void guestsThatIgnoreShutdownKeepRunning() {
        SimulatedHypervisor sim = sim();
        faults.ignoreShutdownFor("stubborn");
        sim.createPaused(definition("stubborn", 1, 64));
        sim.unpause("stubborn");
        sim.requestShutdown("stubborn");
        clock.advance(Duration.ofHours(1));
        assertThat(domain(sim, "stubborn").state().isAlive()).isTrue();
    }

    @Test
    void guestsCrashAtRandomWhenAsked() {
        SimulatedHypervisor sim = sim();
        faults.crashesPerHour(3600); // one a second on average
        sim.createPaused(definition("flaky", 1, 64));
        sim.unpause("flaky");
        clock.advance(Duration.ofHours(1));
        assertThat(domain(sim, "flaky").state()).isEqualTo(DomainState.shutdown(ShutdownReason.CRASH));
    }

    @Test
    void testsCanCrashPowerOffAndRebootGuests() {
        SimulatedHypervisor sim = sim();
        for (String name : List.of("a", "b", "c")) {
            sim.createPaused(definition(name, 1, 64));
            sim.unpause(name);
        }
        sim.crash("a");
        sim.powerOff("b");
        sim.reboot("c");
        assertThat(domain(sim, "a").state().crashed()).isTrue();
        assertThat(domain(sim, "b").state().shutdownReason()).isEqualTo(ShutdownReason.POWEROFF);
        assertThat(domain(sim, "c").state().shutdownReason()).isEqualTo(ShutdownReason.REBOOT);
        assertThatThrownBy(() -> sim.unpause("c")).hasMessageContaining("has shut down");
    }

    @Test
    void processLossForgetsDomains() {
        SimulatedHypervisor sim = sim();
        sim.createPaused(definition("a", 1, 64));
        sim.createPaused(definition("b", 1, 64));
        sim.loseDomain("a");
        assertThat(sim.listDomains()).extracting(DomainInfo::name).containsExactly("b");
        faults.processLossPerPoll(1.0);
        assertThat(sim.listDomains()).isEmpty();
        faults.clear();
        sim.createPaused(definition("c", 1, 64));
        sim.loseAllDomains();
        assertThat(sim.listDomains()).isEmpty();
    }

    @Test
    void neverTouchesForeignDomains() {
        SimulatedHypervisor sim = sim();
        sim.addForeignDomain("router", 1, 128);
        assertThat(domain(sim, "router").ours()).isFalse();
        assertThatThrownBy(() -> sim.destroy("router")).hasMessageContaining("not created by this operator");
        assertThatThrownBy(() -> sim.requestShutdown("router")).hasMessageContaining("not created by this operator");
        assertThatThrownBy(() -> sim.createPaused(definition("router", 1, 64))).hasMessageContaining("foreign domain");
        assertThat(domain(sim, "router").state().isAlive()).isTrue();
    }

    @Test
    void refusesDomainsThatDoNotFitInMemory() {
        SimulatedHypervisor sim = sim(); // 8 GiB host
        sim.createPaused(definition("big", 1, 6144));
        assertThatThrownBy(() -> sim.createPaused(definition("big2", 1, 4096))).hasMessageContaining("not enough free memory");
        assertThat(sim.hostInfo().freeMemoryBytes()).isEqualTo(2048L << 20);
        assertThat(sim.hostInfo().cpus()).isEqualTo(8);
    }

    @Test
    void handlesManyDomainsFromManyThreads() throws Exception {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().clock(clock).sleeper(clock::advance).build();
        List<Future<?>> futures = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2000; i++) {
                String name = "vm" + i;
                futures.add(executor.submit(() -> {
                    sim.createPaused(definition(name, 1, 16));
                    sim.unpause(name);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(sim.listDomains()).hasSize(2000).allMatch(DomainInfo::ours)
            .extracting(DomainInfo::domainId).doesNotHaveDuplicates();
    }

    static DomainDefinition definition(String name, int vcpus, int memoryMiB) {
        return DefinitionFromSpec.inPlace(name, UUID.nameUUIDFromBytes(name.getBytes()), Specs.minimal(name, vcpus, memoryMiB));
    }

    private static DomainInfo domain(SimulatedHypervisor sim, String name) {
        return find(sim, name).orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private static Optional<DomainInfo> find(SimulatedHypervisor sim, String name) {
        return sim.listDomains().stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
