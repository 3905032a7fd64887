package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.LocalKubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;

/**
 * Scenario 4, first half: the API server restarts under a running node agent (simulator backend), closing
 * every watch the agent holds. The agent resumes: what it wrote before is still there, a change made after
 * the restart takes effect, a domain created after it boots, and the running domain is not booted a second
 * time (the agent's {@code domainoperator_boot_attempts_total} counts each boot it started).
 */
// Among the longest classes without guests: early in the lane that starts from the end (junit-platform.properties).
@Order(Order.DEFAULT + 1)
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
class AgentApiServerRestartE2E {

    @Test
    void agentResumesAfterTheApiServerRestarts(KubeCluster cluster, @TempDir Path stateDir) {
        Assumptions.assumeTrue(cluster instanceof LocalKubeCluster,
                "restarting needs the suite's own API server; " + cluster.description() + " is not");
        LocalKubeCluster local = (LocalKubeCluster) cluster;
        Crds.install(cluster.kubectl());
        String namespace = cluster.createNamespace("e2e-apirestart");
        String node = "node-" + namespace;
        Domains domains = new Domains(cluster.kubectl(), namespace);
        try (OperatorProcess agent = OperatorProcess.agent(cluster.kubeconfig(), node, "sim", stateDir, namespace).awaitReady()) {
            domains.apply(Domains.simulated("steady", node));
            domains.apply(Domains.simulated("stopped-later", node));
            awaitRunning(domains, agent, "steady");
            awaitRunning(domains, agent, "stopped-later");
            String steadyId = domains.get("steady", "{.status.domainId}");
            String steadyReadySince = domains.get("steady", "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}");
            assertThat(bootAttempts(agent, node)).isEqualTo(2);

            local.restartApiServer();

            // Changes made only after the restart reach the agent through its re-established watches.
            domains.patchSpec("stopped-later", "{\"activate\": false}");
            domains.apply(Domains.simulated("created-later", node));
            eventually("stopped-later halted after the restart").untilAsserted(() -> {
                agent.assertAlive();
                assertThat(domains.phase("stopped-later")).as(domains.describe("stopped-later")).isEqualTo("Halted");
            });
            awaitRunning(domains, agent, "created-later");

            // Nothing was lost or redone for the domain that ran across the restart.
            assertThat(domains.phase("steady")).isEqualTo("Running");
            assertThat(domains.get("steady", "{.status.domainId}")).as("same domain, not a new one").isEqualTo(steadyId);
            assertThat(domains.get("steady", "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"))
                    .as("Ready never went away").isEqualTo(steadyReadySince);
            assertThat(bootAttempts(agent, node)).as("steady and stopped-later once, created-later once").isEqualTo(3);
            assertThat(domains.eventReasons("steady")).as("steady was never halted").doesNotContain("GracefulShutdown");
        } finally {
            cluster.deleteNamespace(namespace);
        }
    }

    private static double bootAttempts(OperatorProcess agent, String node) {
        return agent.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", node));
    }

    private static void awaitRunning(Domains domains, OperatorProcess agent, String name) {
        eventually(name + " running and Ready").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase(name)).as(domains.describe(name)).isEqualTo("Running");
            assertThat(domains.condition(name, "Ready")).isEqualTo("True");
        });
    }
}
