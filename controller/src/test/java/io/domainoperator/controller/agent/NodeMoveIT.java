package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node agents on one API server (fabric8's emulation; {@code NodeMoveE2E} does it on the real one): spec.nodeName
 * of a running domain is edited from node-a to node-b with no webhook to refuse it. node-a halts it and releases it
 * (status and Event say so), node-b boots it only then, and at no moment do both nodes run it.
 */
class NodeMoveIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir
    Path stateA;
    @TempDir
    Path stateB;
    final EmbeddedApiServer server = new EmbeddedApiServer();
    final KubernetesClient client = server.client();
    final SimulatedHypervisor simA = SimulatedHypervisor.builder().seed(1).build();
    final SimulatedHypervisor simB = SimulatedHypervisor.builder().seed(2).build();
    NodeAgent a;
    NodeAgent b;

    @BeforeEach
    void start() {
        a = agent("node-a", stateA, simA);
        b = agent("node-b", stateB, simB);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        server.close();
    }

    private NodeAgent agent(String node, Path state, SimulatedHypervisor sim) {
        AgentConfig config = new AgentConfig(node, "sim", state, state.resolve("run"), state.resolve("img"),
            Path.of("/nonexistent-sysfs"), List.of(), AgentHarness.fastKnobs(), null, "127.0.0.1", 0, false,
            Duration.ofSeconds(30), null, 7, false, false, List.of(state));
        NodeAgent agent = new NodeAgent(config, client, sim, AdapterAssigner.NONE, Clock.systemUTC());
        agent.start();
        return agent;
    }

    private DomainConfig get() {
        return client.resources(DomainConfig.class).inNamespace("default").withName("web").get();
    }

    private DomainPhase phase() {
        DomainConfig dc = get();
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }

    private String node() {
        DomainConfig dc = get();
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getNode();
    }

    private static boolean runs(SimulatedHypervisor sim) {
        return sim.peek().stream().anyMatch(d -> d.name().equals("web") && !d.state().hasStopped());
    }

    @Test
    void aRunningDomainWhoseNodeNameIsEditedIsHaltedThereAndBootedOnTheNewNodeOnlyAfter() {
        DomainConfig dc = AgentHarness.domain("web");
        client.resource(dc).create();
        await("web Running on node-a").atMost(WAIT).untilAsserted(() -> {
            assertThat(phase()).isEqualTo(DomainPhase.Running);
            assertThat(node()).isEqualTo("node-a");
        });
        assertThat(runs(simA)).isTrue();

        AtomicInteger both = new AtomicInteger();
        client.resources(DomainConfig.class).inNamespace("default").withName("web").edit(d -> {
            d.getSpec().setNodeName("node-b");
            return d;
        });
        await("web Running on node-b").atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            if (runs(simA) && runs(simB)) {
                both.incrementAndGet();
            }
            assertThat(node()).isEqualTo("node-b");
            assertThat(phase()).isEqualTo(DomainPhase.Running);
        });

        assertThat(both).as("never running on both nodes").hasValue(0);
        assertThat(simA.peek()).extracting(DomainInfo::name).doesNotContain("web");
        assertThat(runs(simB)).isTrue();
        await("the release and the graceful halt reported").atMost(WAIT).untilAsserted(() ->
            assertThat(client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "web".equals(e.getInvolvedObject().getName())).map(Event::getReason).toList())
                .contains(NodeMove.MOVED, "GracefulShutdown"));
        assertThat(get().getMetadata().getFinalizers()).containsExactly(DomainConfig.FINALIZER);
        assertThat(stateA.resolve("journal")).isDirectoryNotContaining("glob:**web*");
    }

    @Test
    void theOldNodesReleaseIsWhatTheNewNodeWaitsFor() {
        DomainConfig dc = AgentHarness.domain("web");
        dc.getSpec().setShutdownTimeoutSeconds(3);
        client.resource(dc).create();
        await("web Running on node-a").atMost(WAIT).untilAsserted(() ->
            assertThat(phase()).isEqualTo(DomainPhase.Running));
        simA.faults().ignoreShutdownFor("web"); // a guest that does not shut down: the halt is forced after the timeout

        client.resources(DomainConfig.class).inNamespace("default").withName("web").edit(d -> {
            d.getSpec().setNodeName("node-b");
            return d;
        });
        await("node-b says it waits for node-a").atMost(WAIT).untilAsserted(() ->
            assertThat(client.v1().events().inNamespace("default").list().getItems()).extracting(Event::getReason)
                .contains(NodeMove.WAITING));
        assertThat(runs(simB)).as("nothing on node-b while node-a halts it").isFalse();
        await("web Running on node-b").atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(runs(simA) && runs(simB)).as("never on both").isFalse();
            assertThat(node()).isEqualTo("node-b");
            assertThat(phase()).isEqualTo(DomainPhase.Running);
        });
        await("the forced halt and the release reported").atMost(WAIT).untilAsserted(() ->
            assertThat(client.v1().events().inNamespace("default").list().getItems()).extracting(Event::getReason)
                .contains("ShutdownForced", NodeMove.MOVED));
        assertThat(get().getStatus().condition(Conditions.READY).getStatus()).isEqualTo(Conditions.TRUE);
    }
}
