package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
}
