package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import io.domainoperator.testing.Specs;

/**
 * A node agent on the simulator against fabric8's API server emulation in CRUD mode. No real Kubernetes
 * API server can run in these unit-level suites; the e2e module runs the agent against a real one.
 */
final class AgentHarness implements AutoCloseable {
    static final String NODE = "node-a";
    /** The cached test guest (.ci/setup.d/30-qemu-guest.sh), an allowed image root beside the state dir. */
    static final Path GUEST_CACHE = Path.of(System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE",
        System.getProperty("user.home") + "/.cache/domain-operator"), "guest");
    final EmbeddedApiServer server = new EmbeddedApiServer();
    final KubernetesClient client = server.client();
    final SimulatedHypervisor hypervisor;
    final Hypervisor backend;
    final NodeAgent agent;

    AgentHarness(Path stateDir, GlobalKnobs knobs) {
        this(stateDir, knobs, SimulatedHypervisor.builder().seed(7).build());
    }

    AgentHarness(Path stateDir, GlobalKnobs knobs, SimulatedHypervisor hypervisor) {
        this(stateDir, knobs, (Hypervisor) hypervisor);
    }

    AgentHarness(Path stateDir, GlobalKnobs knobs, Hypervisor backend) {
        this(stateDir, knobs, backend, null);
    }

    /** adapters: builds the passthrough side from the client and the agent's view of active domains, or null for none. */
    AgentHarness(Path stateDir, GlobalKnobs knobs, Hypervisor backend,
                 java.util.function.BiFunction<KubernetesClient, java.util.function.Supplier<java.util.Set<String>>, AdapterAssigner> adapters) {
        this.hypervisor = backend instanceof SimulatedHypervisor sim ? sim : null;
        this.backend = backend;
        AgentConfig config = new AgentConfig(NODE, "sim", stateDir, stateDir.resolve("run"), stateDir.resolve("img"),
            Path.of("/nonexistent-sysfs"), List.of(), knobs, null, "127.0.0.1", 0, false, Duration.ofSeconds(30),
            null, 7, false, false, List.of(stateDir, GUEST_CACHE));
        DeferredAssigner assigner = new DeferredAssigner();
        agent = new NodeAgent(config, client, backend, assigner, Clock.systemUTC());
        if (adapters != null) {
            assigner.set(adapters.apply(client, agent::activeDomainKeys));
        }
        agent.start();
    }

    /** An agent on {@link #NODE} with the {@code hypervisor} backend, its state, runtime and images under {@code state}. */
    static AgentConfig config(String hypervisor, Path state) {
        return new AgentConfig(NODE, hypervisor, state, state.resolve("run"), state.resolve("img"),
            Path.of("/nonexistent-sysfs"), List.of(), fastKnobs(), null, "127.0.0.1", 0, false,
            Duration.ofSeconds(30), null, 7, false, false, List.of(state));
    }

    /** A started agent with {@code config} on {@code hypervisor}, its device plugin left out. */
    static NodeAgent started(AgentConfig config, KubernetesClient client, io.domainoperator.hypervisor.Hypervisor hypervisor) {
        NodeAgent agent = new NodeAgent(config, client, hypervisor, new DeferredAssigner(), java.time.Clock.systemUTC());
        agent.start();
        return agent;
    }

    static GlobalKnobs fastKnobs() {
        return new GlobalKnobs(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(300), false);
    }

    static DomainConfig domain(String name, String... startAfter) {
        return Specs.domainConfig("default", name, Specs.minimal(name, 1, 64, spec -> {
            spec.setNodeName(NODE);
            spec.setShutdownTimeoutSeconds(5);
            spec.setStartAfter(List.of(startAfter));
        }));
    }

    DomainConfig apply(DomainConfig dc) {
        return client.resource(dc).create();
    }

    DomainConfig get(String name) {
        return client.resources(DomainConfig.class).inNamespace("default").withName(name).get();
    }

    List<String> eventReasons(String name) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
            .filter(e -> name.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    @Override
    public void close() {
        agent.close();
        server.close();
    }
}
