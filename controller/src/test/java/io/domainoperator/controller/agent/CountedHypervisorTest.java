package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.ConsoleEndpoints;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CountedHypervisorTest {
    @Test
    void countsEachCallByNameAndPassesItOn() {
        CountedHypervisor counted = new CountedHypervisor(SimulatedHypervisor.builder().build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName("web");
        spec.setVcpus(1);
        spec.setMemoryMiB(64);

        counted.createPaused(DefinitionFromSpec.inPlace("web", UUID.randomUUID(), spec));
        counted.unpause("web");
        counted.listDomains();
        assertThat(counted.listDomains()).hasSize(1);
        counted.register(registry, "node-1");

        assertThat(registry.get("domainoperator.hypervisor.calls").tags("call", "list", "node", "node-1").functionCounter().count())
            .as("calls before the registry existed count too").isEqualTo(2);
        assertThat(registry.get("domainoperator.hypervisor.calls").tags("call", "create").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("domainoperator.hypervisor.calls").tags("call", "host_info").functionCounter().count()).isZero();
        assertThat(counted.backendName()).isEqualTo("sim");
    }

    /**
     * Regression: the counter wrapped every backend of the agent process but did not pass on the console and guest
     * agent calls, so the process never reported status.console and its serial-log and guest-agent probes never
     * answered (in-process tests hand the agent the backend unwrapped and did not see it).
     */
    @Test
    void passesOnTheCallsItDoesNotCount() {
        ConsoleEndpoints endpoints = new ConsoleEndpoints(null, "/run/web/console.sock", "/run/web/console.log", null, null);
        Path qga = Path.of("/run/web/qga.sock");
        Hypervisor backend = new ForwardingHypervisor(SimulatedHypervisor.builder().build()) {
            @Override
            public Optional<ConsoleEndpoints> consoles(String name, int domainId) {
                return Optional.of(endpoints);
            }

            @Override
            public Optional<Path> guestAgentSocket(String name) {
                return Optional.of(qga);
            }
        };
        CountedHypervisor counted = new CountedHypervisor(backend);

        assertThat(counted.consoles("web", 3)).contains(endpoints);
        assertThat(counted.guestAgentSocket("web")).contains(qga);
    }
}
