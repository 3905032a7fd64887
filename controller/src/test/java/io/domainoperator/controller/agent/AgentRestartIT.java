package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.device.DevicePlugin;
import io.domainoperator.device.FakeCommandRunner;
import io.domainoperator.device.FakeSysfs;
import io.domainoperator.device.FileDeviceJournal;
import io.domainoperator.device.HostPolicy;
import io.domainoperator.device.Machine;
import io.domainoperator.device.PassthroughDriver;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent stops in the middle of a halt and a new one starts on the same node (same state directory,
 * same hypervisor, same sysfs): the halt carries on from the journal without a second shutdown request, the
 * passthrough GPU goes back to the host, the object goes. The hypervisor and the API server outlive the agent,
 * as they do on a node.
 */
class AgentRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;
    @TempDir
    Path sysfs;

    @Test
    void aHaltInterruptedByAnAgentRestartFinishesOnceAndReleasesTheAdapter() {
        FakeSysfs kernel = Machine.boot(sysfs);
        // The guest needs 4 s to power off: long enough to stop the agent while the domain is Halting.
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(11)
            .latencies(SimulatorLatencies.uniform(Duration.ZERO, Duration.ofSeconds(4))).build();
        ShutdownHaltIT.Recording hv = new ShutdownHaltIT.Recording(sim);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            var client = server.client();
            NodeAgent first = agent(client, hv, kernel);
            String gpu = client.resources(PhysicalIOAdapter.class).list().getItems().stream()
                .filter(a -> Machine.GPU.equals(a.getSpec().getPciAddress())).findFirst().orElseThrow().getMetadata().getName();
            DomainConfig vm = AgentHarness.domain("vm");
            vm.getSpec().getAdapters().add(gpu);
            vm.getSpec().setShutdownTimeoutSeconds(60);
            client.resource(vm).create();
            await("vm Running with the GPU").atMost(WAIT).untilAsserted(() -> {
                assertThat(phase(client, "vm")).isEqualTo(DomainPhase.Running);
                assertThat(kernel.driverOf(Machine.GPU)).isEqualTo("vfio-pci");
            });

            client.resources(DomainConfig.class).inNamespace("default").withName("vm").delete();
            await("vm Halting").atMost(WAIT).untilAsserted(() -> assertThat(phase(client, "vm")).isEqualTo(DomainPhase.Halting));
            first.close();

            NodeAgent second = agent(client, hv, kernel);
            try {
                await("vm gone").atMost(WAIT).untilAsserted(() ->
                    assertThat(client.resources(DomainConfig.class).inNamespace("default").withName("vm").get()).isNull());
            } finally {
                second.close();
            }
        }
        assertThat(sim.listDomains()).isEmpty();
        assertThat(hv.calls).filteredOn(c -> c.startsWith("shutdown ")).as("one shutdown request across both agents")
            .containsExactly("shutdown vm");
        assertThat(hv.calls).filteredOn(c -> c.startsWith("destroy-live ")).as("no forced poweroff").isEmpty();
        assertThat(kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
    }

    private NodeAgent agent(io.fabric8.kubernetes.client.KubernetesClient client, ShutdownHaltIT.Recording hv, FakeSysfs kernel) {
        AgentConfig config = new AgentConfig(AgentHarness.NODE, "sim", state, state.resolve("run"), state.resolve("img"),
            Path.of("/nonexistent"), List.of(), AgentHarness.fastKnobs(), null, "127.0.0.1", 0, false,
            Duration.ofSeconds(30), null, 1, false, true, List.of(state));
        DeferredAssigner adapters = new DeferredAssigner();
        NodeAgent agent = new NodeAgent(config, client, hv, adapters, Clock.systemUTC());
        DevicePlugin plugin = new DevicePlugin(kernel, new FakeCommandRunner(kernel),
            new FileDeviceJournal(state.resolve("run/devices.json")), PassthroughDriver.VFIO_PCI);
        DeviceAdapterAssigner assigner = new DeviceAdapterAssigner(plugin, client, AgentHarness.NODE,
            new HostPolicy(Machine.MANAGEMENT_PORTS, false), agent::activeDomainKeys, Clock.systemUTC());
        assigner.start();
        adapters.set(assigner);
        agent.start();
        return agent;
    }

    private static DomainPhase phase(io.fabric8.kubernetes.client.KubernetesClient client, String name) {
        DomainConfig dc = client.resources(DomainConfig.class).inNamespace("default").withName(name).get();
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }
}
