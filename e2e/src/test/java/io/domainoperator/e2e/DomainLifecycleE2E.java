package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;

/**
 * Scenario 3: a user stops, starts and deletes a domain with kubectl alone, and a node agent running as its
 * own process (simulator backend) carries it out. {@code activate: false} halts the domain gracefully (an
 * Event GracefulShutdown, phase Halted), {@code activate: true} boots it again, and {@code kubectl delete}
 * waits for the agent's finalizer, which halts the domain before the object goes.
 */
@KubeApiServer
class DomainLifecycleE2E {

    @TempDir
    static Path stateDir;

    private static String namespace;
    private static String node;
    private static OperatorProcess agent;
    private static Domains domains;

    @BeforeAll
    static void startAgent(KubeCluster cluster) {
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-lifecycle");
        // A node name of this run only: agents of other classes on the same server never pick these domains up.
        node = "node-" + namespace;
        domains = new Domains(cluster.kubectl(), namespace);
        agent = OperatorProcess.agent(cluster.kubeconfig(), node, "sim", stateDir, namespace).awaitReady();
    }

    @AfterAll
    static void stopAgent(KubeCluster cluster) {
        if (agent != null) {
            agent.close();
        }
        cluster.deleteNamespace(namespace);
    }

    @Test
    void deactivatingHaltsGracefullyAndReactivatingBootsAgain() {
        domains.apply(Domains.simulated("web", node));
        awaitRunning("web");

        domains.patchSpec("web", "{\"activate\": false}");

        eventually("web halted").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase("web")).as(domains.describe("web")).isEqualTo("Halted");
        });
        assertThat(domains.eventReasons("web")).contains("GracefulShutdown").doesNotContain("ShutdownForced");
        assertThat(domains.get("web", "{.status.domainId}")).as("a halted domain has no domain id").isEmpty();

        domains.patchSpec("web", "{\"activate\": true}");

        awaitRunning("web");
        assertThat(domains.get("web", "{.status.node}")).isEqualTo(node);
    }

    @Test
    void deleteWaitsForTheFinalizerWhichHaltsTheDomain() {
        domains.apply(Domains.simulated("db", node));
        awaitRunning("db");
        assertThat(domains.get("db", "{.metadata.finalizers}")).contains("domainoperator.io/halt");

        domains.delete("db");

        eventually("db deleted").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.exists("db")).as("the object is gone once the agent removed its finalizer").isFalse();
        });
        // The Events outlive the object: they tell how it was halted.
        assertThat(domains.eventReasons("db")).contains("GracefulShutdown").doesNotContain("ShutdownForced");
    }

    private static void awaitRunning(String name) {
        eventually(name + " running and Ready").untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase(name)).as(domains.describe(name)).isEqualTo("Running");
            assertThat(domains.condition(name, "Ready")).isEqualTo("True");
        });
    }
}
