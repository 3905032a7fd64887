package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.device.DevicePlugin;
import io.domainoperator.device.FakeCommandRunner;
import io.domainoperator.device.FakeSysfs;
import io.domainoperator.device.HostPolicy;
import io.domainoperator.device.InMemoryDeviceJournal;
import io.domainoperator.device.Machine;
import io.domainoperator.device.PassthroughDriver;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (found by HypervisorChaosSmokeTest under load): a GPU assigned to one domain was given to a second
 * domain while the first one's create was still running (no poll listed it yet, so its holder did not count as
 * active), and both domains ran with it. A holder whose hypervisor call is in flight keeps its adapter.
 */
class AdapterHeldDuringCreateIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;
    @TempDir
    Path sysfs;
    private final CountDownLatch createStarted = new CountDownLatch(1);
    private final CountDownLatch createMayEnd = new CountDownLatch(1);
    private AgentHarness h;

    /** The simulator, with the first domain's create held until the test lets it end. */
    private final class HeldCreate extends ForwardingHypervisor {
        HeldCreate(SimulatedHypervisor sim) {
            super(sim);
        }

        @Override
        public DomainInfo createPaused(DomainDefinition definition) {
            if (definition.name().equals("gpu-a")) {
                createStarted.countDown();
                try {
                    createMayEnd.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.createPaused(definition);
        }
    }

    @AfterEach
    void stop() {
        createMayEnd.countDown();
        if (h != null) {
            h.close();
        }
    }

    @Test
    void anAdapterStaysWithTheDomainWhoseCreateIsStillRunning() throws InterruptedException {
        FakeSysfs kernel = Machine.boot(sysfs);
        DevicePlugin plugin = new DevicePlugin(kernel, new FakeCommandRunner(kernel), new InMemoryDeviceJournal(),
            PassthroughDriver.VFIO_PCI);
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(5).build();
        h = new AgentHarness(state, AgentHarness.fastKnobs(), new HeldCreate(sim), (client, active) -> {
            DeviceAdapterAssigner assigner = new DeviceAdapterAssigner(plugin, client, AgentHarness.NODE,
                new HostPolicy(Machine.MANAGEMENT_PORTS, false), active, Clock.systemUTC());
            assigner.start();
            return assigner;
        });
        String gpu = h.client.resources(PhysicalIOAdapter.class).list().getItems().stream()
            .filter(a -> Machine.GPU.equals(a.getSpec().getPciAddress())).findFirst().orElseThrow()
            .getMetadata().getName();

        DomainConfig a = AgentHarness.domain("gpu-a");
        a.getSpec().getAdapters().add(gpu);
        h.apply(a);
        assertThat(createStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("gpu-a's create started").isTrue();
        assertThat(plugin.holders().get(Machine.GPU)).isEqualTo("default/gpu-a");

        DomainConfig b = AgentHarness.domain("gpu-b");
        b.getSpec().getAdapters().add(gpu);
        h.apply(b);
        await("gpu-b decided while gpu-a's create runs").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = h.get("gpu-b");
            assertThat(dc.getStatus()).isNotNull();
            assertThat(dc.getStatus().getObservedGeneration()).isEqualTo(dc.getMetadata().getGeneration());
        });
        assertThat(plugin.holders().get(Machine.GPU)).as("the GPU stays with gpu-a").isEqualTo("default/gpu-a");
        assertThat(sim.listDomains()).as("gpu-b got no domain").noneMatch(d -> d.name().equals("gpu-b"));

        createMayEnd.countDown();
        await("gpu-a Running").atMost(WAIT).untilAsserted(() ->
            assertThat(h.get("gpu-a").getStatus().getPhase()).isEqualTo(DomainPhase.Running));
        assertThat(plugin.holders().get(Machine.GPU)).isEqualTo("default/gpu-a");
        assertThat(sim.listDomains()).as("only gpu-a runs").extracting(DomainInfo::name).containsExactly("gpu-a");
    }
}
