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
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with the device plugin over a fake sysfs that reacts to writes as the kernel does (the device
 * plugin's test fixture; tests never touch the real /sys): adapters are published, a domain's NIC moves to
 * vfio-pci (with its IOMMU group) before the domain is created and back to its host driver after it is gone,
 * dom0's port is refused.
 */
class PassthroughAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;
    @TempDir
    Path sysfs;
    FakeSysfs kernel;
    AgentHarness h;

    @BeforeEach
    void start() {
        kernel = Machine.boot(sysfs);
        DevicePlugin plugin = new DevicePlugin(kernel, new FakeCommandRunner(kernel), new InMemoryDeviceJournal(),
            PassthroughDriver.VFIO_PCI);
        h = new AgentHarness(state, AgentHarness.fastKnobs(), SimulatedHypervisor.builder().seed(5).build(), (client, active) -> {
            DeviceAdapterAssigner assigner = new DeviceAdapterAssigner(plugin, client, AgentHarness.NODE,
                new HostPolicy(Machine.MANAGEMENT_PORTS, false), active, Clock.systemUTC());
            assigner.start();
            return assigner;
        });
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private PhysicalIOAdapter adapterFor(String pciAddress) {
        return h.client.resources(PhysicalIOAdapter.class).list().getItems().stream()
            .filter(a -> pciAddress.equals(a.getSpec().getPciAddress())).findFirst().orElseThrow();
    }

    @Test
    void aGpuAndItsIommuGroupArePassedThroughWhileTheDomainRunsAndGivenBackAfter() {
        assertThat(kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        String gpu = adapterFor(Machine.GPU).getMetadata().getName();
        DomainConfig vm = AgentHarness.domain("router");
        vm.getSpec().getAdapters().add(gpu);
        h.apply(vm);

        await("router Running").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = h.get("router");
            assertThat(dc.getStatus()).isNotNull();
            assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Running);
        });
        assertThat(kernel.driverOf(Machine.GPU)).isEqualTo("vfio-pci");
        assertThat(kernel.driverOf(Machine.GPU_AUDIO)).as("its IOMMU group moves with it").isEqualTo("vfio-pci");
        await("adapter status names its holder").atMost(WAIT).untilAsserted(() ->
            assertThat(adapterFor(Machine.GPU).getStatus().getAssignedTo()).isEqualTo("default/router"));

        h.client.resources(DomainConfig.class).inNamespace("default").withName("router").delete();

        await("router gone").atMost(WAIT).untilAsserted(() -> assertThat(h.get("router")).isNull());
        assertThat(kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
        await("adapter free again").atMost(WAIT).untilAsserted(() ->
            assertThat(adapterFor(Machine.GPU).getStatus().getAssignedTo()).isNull());
        // EVE's rule: a NIC dom0 does not manage waits in the passthrough driver, the management port stays home.
        assertThat(kernel.driverOf(Machine.ETH1)).isEqualTo("vfio-pci");
        assertThat(kernel.driverOf(Machine.ETH0)).isEqualTo("igb");
    }

    @Test
    void dom0sManagementPortIsRefusedAndStaysWithTheHost() {
        String eth0 = adapterFor(Machine.ETH0).getMetadata().getName();
        DomainConfig vm = AgentHarness.domain("greedy");
        vm.getSpec().getAdapters().add(eth0);
        h.apply(vm);

        await("greedy Broken, naming the adapter").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = h.get("greedy");
            assertThat(dc.getStatus()).isNotNull();
            assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
            assertThat(dc.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getMessage()).contains(eth0));
        });
        assertThat(kernel.driverOf(Machine.ETH0)).isEqualTo("igb");
        assertThat(h.hypervisor.listDomains()).isEmpty();
    }
}
