package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;

/**
 * Scenario 6: the cluster controller places a DomainConfig without {@code spec.nodeName}. While no node
 * agent renews a heartbeat Lease nothing is placed: phase Pending, Placed=False reason NoFit. Once two
 * agents (own processes, different --node names, simulator backend) run, the controller writes one of
 * them into spec.nodeName, and that agent, and only that one, boots it (status.node, its boot counter).
 *
 * <p>Its own API server: the controller places every unplaced DomainConfig it can see, which on a shared
 * server would include other suites' manifests.
 */
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
class PlacementE2E {

    @Test
    void controllerPlacesOnlyOntoLiveAgents(KubeCluster cluster, @TempDir Path stateA, @TempDir Path stateB) {
        Crds.install(cluster.kubectl());
        String system = cluster.createNamespace("e2e-place-system");
        String namespace = cluster.createNamespace("e2e-place");
        Domains domains = new Domains(cluster.kubectl(), namespace);
        try (OperatorProcess controller = OperatorProcess.controller(cluster.kubeconfig(), system, "e2e-controller").awaitReady()) {
            domains.apply(Domains.simulated("wanderer", null));

            eventually("wanderer pending: no node is alive").untilAsserted(() -> {
                controller.assertAlive();
                assertThat(domains.phase("wanderer")).as(domains.describe("wanderer") + controller.logTail()).isEqualTo("Pending");
                assertThat(domains.condition("wanderer", "Placed")).isEqualTo("False");
                assertThat(domains.conditionReason("wanderer", "Placed")).isEqualTo("NoFit");
            });
            assertThat(domains.get("wanderer", "{.spec.nodeName}")).isEmpty();

            try (OperatorProcess agentA = OperatorProcess.agent(cluster.kubeconfig(), "node-a", "sim", stateA, system);
                 OperatorProcess agentB = OperatorProcess.agent(cluster.kubeconfig(), "node-b", "sim", stateB, system)) {
                agentA.awaitReady();
                agentB.awaitReady();

                eventually("wanderer placed and running").untilAsserted(() -> {
                    controller.assertAlive();
                    agentA.assertAlive();
                    agentB.assertAlive();
                    assertThat(domains.get("wanderer", "{.spec.nodeName}")).as(domains.describe("wanderer") + controller.logTail()).isIn("node-a", "node-b");
                    assertThat(domains.condition("wanderer", "Placed")).isEqualTo("True");
                    assertThat(domains.phase("wanderer")).isEqualTo("Running");
                    assertThat(domains.condition("wanderer", "Ready")).isEqualTo("True");
                });
                assertThat(cluster.kubectl().ok("get", "lease", "-n", system, "-o", "name").stdout())
                        .as("both agents renew a heartbeat Lease")
                        .contains("lease.coordination.k8s.io/domainoperator-node-node-a")
                        .contains("lease.coordination.k8s.io/domainoperator-node-node-b");
                String node = domains.get("wanderer", "{.spec.nodeName}");
                assertThat(domains.get("wanderer", "{.status.node}")).isEqualTo(node);
                OperatorProcess chosen = node.equals("node-a") ? agentA : agentB;
                OperatorProcess other = node.equals("node-a") ? agentB : agentA;
                String otherNode = node.equals("node-a") ? "node-b" : "node-a";
                assertThat(chosen.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", node))).isEqualTo(1);
                assertThat(other.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", otherNode))).isZero();
            }
        } finally {
            cluster.deleteNamespace(namespace);
            cluster.deleteNamespace(system);
        }
    }
}
