package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorFaults;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node shutdown with --halt-on-exit on the simulator: order, one request per domain, forced only after the timeout. */
class ShutdownHaltIT {
    @TempDir
    Path state;

    /** Records the order of requests on top of the simulator. */
    static final class Recording implements Hypervisor {
        final SimulatedHypervisor sim;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Recording(SimulatedHypervisor sim) {
            this.sim = sim;
        }

        @Override public String backendName() { return "sim"; }
        @Override public List<DomainInfo> listDomains() { return sim.listDomains(); }
        @Override public DomainInfo createPaused(DomainDefinition d) { return sim.createPaused(d); }
        @Override public void unpause(String name) { sim.unpause(name); }
        @Override public void pause(String name) { sim.pause(name); }
        @Override public HostInfo hostInfo() { return sim.hostInfo(); }

        @Override
        public void requestShutdown(String name) {
            calls.add("shutdown " + name);
            sim.requestShutdown(name);
        }

        @Override
        public void destroy(String name) {
            if (sim.listDomains().stream().anyMatch(d -> d.name().equals(name) && !d.state().hasStopped())) {
                calls.add("destroy-live " + name);
            }
            sim.destroy(name);
        }
    }

    @Test
    void dependentsHaltFirstOnceEachAndOnlyTheStubbornAreForced() {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(3).latencies(SimulatorLatencies.NONE)
            .faults(new SimulatorFaults().ignoreShutdownFor("stubborn")).build();
        Recording hv = new Recording(sim);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            for (DomainConfig dc : List.of(AgentHarness.domain("nfs-server"), AgentHarness.domain("nfs-client", "nfs-server"),
                AgentHarness.domain("stubborn"))) {
                dc.getSpec().setShutdownTimeoutSeconds(2);
                server.client().resource(dc).create();
                sim.createPaused(DefinitionFromSpec.inPlace(dc.getSpec().getDisplayName(), UUID.randomUUID(), dc.getSpec()));
                sim.unpause(dc.getSpec().getDisplayName());
            }
            AgentConfig config = new AgentConfig(AgentHarness.NODE, "sim", state, state, state, state, List.of(),
                GlobalKnobs.defaults(), null, "127.0.0.1", 0, true, Duration.ofSeconds(60), null, 1, false, false, List.of());

            new ShutdownHalt(server.client(), hv, config, Clock.systemUTC()).haltAll();
        }

        assertThat(sim.listDomains()).isEmpty();
        assertThat(hv.calls.indexOf("shutdown nfs-client")).isLessThan(hv.calls.indexOf("shutdown nfs-server"));
        assertThat(hv.calls).filteredOn(c -> c.startsWith("shutdown ")).doesNotHaveDuplicates();
        assertThat(hv.calls).filteredOn(c -> c.startsWith("destroy-live ")).containsExactly("destroy-live stubborn");
    }
}
