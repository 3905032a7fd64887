package io.domainoperator.hypervisor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.testing.ManualClock;
import io.domainoperator.testing.Specs;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The simulator resizes a running domain as xl does: at once, the same domain id, never above its maximum memory. */
class SimulatedLiveResizeTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimulatedHypervisor sim = SimulatedHypervisor.builder().clock(clock).sleeper(clock::advance)
        .host(8, 8L << 30).build();

    @Test
    void resizesInPlaceWithinTheMaximum() {
        DomainInfo created = sim.createPaused(DefinitionFromSpec.inPlace("web", UUID.randomUUID(),
            Specs.minimal("web", 1, 256, s -> {
                s.setMaxVcpus(4);
                s.setMaxMemoryMiB(1024);
            })));
        sim.unpause("web");

        sim.resizeLive("web", 3, 768);

        DomainInfo after = sim.listDomains().get(0);
        assertThat(after.domainId()).isEqualTo(created.domainId());
        assertThat(after.vcpus()).isEqualTo(3);
        assertThat(after.memoryBytes()).isEqualTo(768L << 20);
        assertThatThrownBy(() -> sim.resizeLive("web", 3, 2048)).isInstanceOf(HypervisorException.class)
            .hasMessageContaining("maximum memory is 1024 MiB");
        assertThat(sim.listDomains().get(0).memoryBytes()).as("a refused resize changes nothing").isEqualTo(768L << 20);
    }
}
