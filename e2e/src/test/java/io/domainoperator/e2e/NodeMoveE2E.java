package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.SimulatorStateFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, a running domain's spec.nodeName edited with no webhook to refuse it (a cluster without the webhook, or
 * while it is down): two node agent processes (simulator) on the real API server. The node it left halts it
 * gracefully and releases it (status and a MovedToAnotherNode Event say so), the node it names boots it only after
 * that, and the two simulators' state files never show it running on both at once.
 */
@KubeApiServer
class NodeMoveE2E {
    @TempDir
    static Path stateA;
    @TempDir
    static Path stateB;
    private static String namespace;
    private static String nodeA;
    private static String nodeB;
    private static OperatorProcess agentA;
    private static OperatorProcess agentB;
    private static Domains domains;

    @BeforeAll
    static void startTwoAgents(KubeCluster cluster) {
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-nodemove");
        nodeA = "node-a-" + namespace;
        nodeB = "node-b-" + namespace;
        domains = new Domains(cluster.kubectl(), namespace);
        agentA = OperatorProcess.agent(cluster.kubeconfig(), nodeA, "sim", stateA, namespace);
        agentB = OperatorProcess.agent(cluster.kubeconfig(), nodeB, "sim", stateB, namespace);
        agentA.awaitReady();
        agentB.awaitReady();
    }

    @AfterAll
    static void stopAgents(KubeCluster cluster) {
        if (agentA != null) {
            agentA.close();
        }
        if (agentB != null) {
            agentB.close();
        }
        cluster.deleteNamespace(namespace);
    }

    private static boolean runsOn(Path state) {
        return SimulatorStateFile.read(state).domain("web").map(d -> d.phase().equals("RUNNING")).orElse(false);
    }

    @Test
    void anEditedNodeNameHaltsTheDomainWhereItRanAndBootsItOnTheNewNodeOnlyAfter() {
        domains.apply(Domains.simulated("web", nodeA));
        eventually("web Running on " + nodeA).untilAsserted(() -> {
            agentA.assertAlive();
            assertThat(domains.phase("web")).as(domains.describe("web")).isEqualTo("Running");
            assertThat(domains.get("web", "{.status.node}")).isEqualTo(nodeA);
        });

        domains.patchSpec("web", "{\"nodeName\": \"" + nodeB + "\"}");

        AtomicInteger both = new AtomicInteger();
        await("web running on " + nodeB + "'s hypervisor").atMost(Domains.CONVERGE).pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> {
                boolean onA = runsOn(stateA);
                boolean onB = runsOn(stateB);
                if (onA && onB) {
                    both.incrementAndGet();
                }
                assertThat(onB).isTrue();
            });
        assertThat(both).as("never running on both nodes").hasValue(0);
        assertThat(SimulatorStateFile.read(stateA).domain("web")).as("gone from " + nodeA).isEmpty();
        eventually("status names " + nodeB).untilAsserted(() -> {
            agentB.assertAlive();
            assertThat(domains.phase("web")).as(domains.describe("web")).isEqualTo("Running");
            assertThat(domains.get("web", "{.status.node}")).isEqualTo(nodeB);
        });
        assertThat(domains.eventReasons("web")).contains("GracefulShutdown", "MovedToAnotherNode")
            .doesNotContain("ShutdownForced");
        agentA.assertAlive();
    }
}
