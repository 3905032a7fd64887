package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.domainoperator.testing.Manifests;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.QemuAgentNode;
import io.domainoperator.e2e.harness.QemuGuest;

/**
 * Scenario 4, second half: the node agent is killed with SIGKILL in the middle of a boot, the moment its
 * QEMU process exists (created paused, not yet resumed or reported), and a new agent is started on the same
 * state directory, as a DaemonSet restarts its pod. The new agent finds the half-done boot through its
 * journal and QEMU's state files and converges: the domain runs, is Ready, and exactly one QEMU runs it.
 * Counted on the machine's process table, since only there would a second domain show.
 */
// TCG guests, one class at a time: the first guest class, so the local node starts beside it and HelmInstallE2E, next,
// finds it up (see junit-platform.properties).
@Order(1)
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer
class AgentCrashE2E {

    private static final Logger LOG = LoggerFactory.getLogger(AgentCrashE2E.class);

    @TempDir
    Path stateDir;

    private QemuAgentNode agentNode;

    @Test
    void agentKilledMidBootIsReplacedAndConvergesToOneDomain(KubeCluster cluster) {
        Path guest = QemuGuest.assumeAvailable();
        agentNode = new QemuAgentNode(cluster, "e2e-crash", stateDir);
        String node = agentNode.name();
        Domains domains = agentNode.domains();
        OperatorProcess first = agentNode.startAgent();

        domains.apply(QemuGuest.domain("crashy", node, guest));
        // Polled fast and without kubectl: the window between QEMU's start and the agent's next step is short.
        await("the agent started a QEMU for crashy").atMost(Domains.CONVERGE).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    first.assertAlive();
                    return !QemuGuest.processes(stateDir, "crashy").isEmpty();
                });
        first.kill();
        LOG.info("killed the agent with crashy's QEMU up; status then: phase '{}', Ready '{}'",
                domains.phase("crashy"), domains.condition("crashy", "Ready"));

        OperatorProcess second = agentNode.startAgent();

        eventually("crashy running and Ready under the new agent").untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.phase("crashy")).as(domains.describe("crashy")).isEqualTo("Running");
            assertThat(domains.condition("crashy", "Ready")).isEqualTo("True");
        });
        assertThat(QemuGuest.processes(stateDir, "crashy")).as("QEMU processes running crashy").hasSize(1);
        // HalfCreatedRebuilt when the kill came before the unpause, as it mostly does; which one is up to timing.
        LOG.info("crashy's events: {}", domains.eventReasons("crashy"));
        assertThat(domains.get("crashy", "{.status.node}")).isEqualTo(node);

        domains.delete("crashy");
        eventually("crashy deleted and its QEMU gone").untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.exists("crashy")).as(domains.describe("crashy")).isFalse();
            assertThat(QemuGuest.processes(stateDir, "crashy")).isEmpty();
        });
    }

    /**
     * The agent is killed while a domain is Halting: a guest with no OS ignores the power button, so the halt
     * waits out its shutdown timeout. The new agent carries on from the journal, sends no second shutdown request
     * (the event appears once), forces the poweroff when the timeout the first agent started runs out, and the
     * domain ends Halted with no QEMU left.
     */
    @Test
    void agentKilledMidHaltIsReplacedAndFinishesTheHalt(KubeCluster cluster) {
        QemuGuest.assumeAvailable();
        agentNode = new QemuAgentNode(cluster, "e2e-crash-halt", stateDir);
        String node = agentNode.name();
        Domains domains = agentNode.domains();
        OperatorProcess first = agentNode.startAgent();
        domains.apply(Manifests.domainConfig("stubborn", "nodeName: " + node, "vcpus: 1", "memoryMiB: 64",
                "shutdownTimeoutSeconds: 15"));
        eventually("stubborn Running").untilAsserted(() ->
                assertThat(domains.phase("stubborn")).as(domains.describe("stubborn")).isEqualTo("Running"));

        domains.patchSpec("stubborn", "{\"activate\": false}");
        eventually("stubborn Halting").untilAsserted(() ->
                assertThat(domains.phase("stubborn")).as(domains.describe("stubborn")).isEqualTo("Halting"));
        first.kill();

        OperatorProcess second = agentNode.startAgent();
        eventually("stubborn Halted under the new agent, its QEMU gone").untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.phase("stubborn")).as(domains.describe("stubborn")).isEqualTo("Halted");
            assertThat(QemuGuest.processes(stateDir, "stubborn")).isEmpty();
        });
        assertThat(domains.eventReasons("stubborn")).as("one graceful request across both agents, then forced")
                .containsOnlyOnce("GracefulShutdown").contains("ShutdownForced");
    }

    @AfterEach
    void cleanUp() {
        if (agentNode != null) {
            agentNode.close();
        }
    }
}
