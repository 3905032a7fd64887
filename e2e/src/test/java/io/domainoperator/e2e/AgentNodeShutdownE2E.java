package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.QemuAgentNode;
import io.domainoperator.e2e.harness.QemuGuest;

/**
 * The two ways an agent stops, with real QEMU guests and the agent as its own process (as the chart runs it, no
 * {@code --halt-on-exit}):
 * <ul>
 * <li>agent restart (SIGTERM, as for a pod deletion or a DaemonSet update): nothing is halted; each QEMU, in
 *     its own cgroup ({@code domain-operator/<domain>}; here under the e2e agent's own parent), keeps its pid;
 *     the next agent re-attaches, reports both Running and boots nothing;</li>
 * <li>node shutdown (the host's {@code domain-operator-halt-all} creates {@code <run-dir>/halt-all}): the running
 *     agent halts the client before the server it starts after, writes {@code halt-all.done}, and no QEMU is left.</li>
 * </ul>
 * The same on a real node, with the agent in a pod, is {@code HelmInstallE2E}.
 */
// TCG guests, one class at a time: queued right behind HelmInstallE2E (see junit-platform.properties).
@Order(4)
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer
class AgentNodeShutdownE2E {

    private static final String SHUTDOWN_TIMEOUT = "  shutdownTimeoutSeconds: 30\n";
    private static final String SHORT_SHUTDOWN_TIMEOUT = "  shutdownTimeoutSeconds: 5\n";

    @TempDir
    Path stateDir;

    private QemuAgentNode agentNode;

    @Test
    void aRestartHaltsNothingAndANodeShutdownHaltsDependentsFirst(KubeCluster cluster) throws IOException {
        Path guest = QemuGuest.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root: the agent moves each QEMU into the host's cgroup tree, which only root may write");
        agentNode = new QemuAgentNode(cluster, "e2e-node-shutdown", stateDir);
        String node = agentNode.name();
        Domains domains = agentNode.domains();
        OperatorProcess first = agentNode.startAgent();
        // The tiny guest has no ACPI daemon: each graceful halt of the node shutdown ends in ShutdownForced after
        // shutdownTimeoutSeconds. The order is what is asserted, so a short window keeps the two halts lean.
        domains.apply(QemuGuest.domain("server", node, guest).replace(SHUTDOWN_TIMEOUT, SHORT_SHUTDOWN_TIMEOUT));
        domains.apply(QemuGuest.domain("client", node, guest).replace(SHUTDOWN_TIMEOUT,
                SHORT_SHUTDOWN_TIMEOUT + "  startAfter: [server]\n"));
        eventually("both Running").atMost(Domains.CONVERGE.multipliedBy(2)).untilAsserted(() -> {
            first.assertAlive();
            assertThat(domains.phase("server")).as(domains.describe("server")).isEqualTo("Running");
            assertThat(domains.phase("client")).as(domains.describe("client")).isEqualTo("Running");
        });
        Map<String, Long> pids = Map.of("server", onlyQemu("server"), "client", onlyQemu("client"));

        first.close(); // SIGTERM

        OperatorProcess second = agentNode.startAgent();
        eventually("both Running under the new agent").untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.condition("server", "Ready")).isEqualTo("True");
            assertThat(domains.condition("client", "Ready")).isEqualTo("True");
        });
        pids.forEach((name, pid) -> {
            assertThat(QemuGuest.processes(stateDir, name)).as("the QEMU of " + name + " across the restart").containsExactly(pid);
            assertThat(cgroups(pid)).as("cgroups of " + name + "'s QEMU").isNotEmpty()
                    .allSatisfy(line -> assertThat(line)
                        .endsWith(":/" + OperatorProcess.guestCgroupParent(node) + "/" + name));
        });
        assertThat(second.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", node)))
                .as("boots by the new agent").isZero();
        assertThat(domains.eventReasons("server")).doesNotContain("GracefulShutdown", "ShutdownForced");

        // The chart's hostPath (DirectoryOrCreate) makes the run directory; the QEMU backend itself needs none.
        Path runDir = Files.createDirectories(stateDir.resolve("run"));
        Files.writeString(runDir.resolve("halt-all"), ""); // what the host's shutdown unit does

        eventually("the agent reports the halt done").atMost(Domains.CONVERGE).untilAsserted(() ->
                assertThat(runDir.resolve("halt-all.done")).as(second.logTail()).exists());
        assertThat(QemuGuest.processes(stateDir, "server")).isEmpty();
        assertThat(QemuGuest.processes(stateDir, "client")).isEmpty();
        List<String> log = Files.readAllLines(second.log());
        assertThat(indexOf(log, "client: GracefulShutdown requested")).as("the client is asked first")
                .isLessThan(indexOf(log, "server: GracefulShutdown requested"));
        assertThat(second.isAlive()).as("the agent waits for the node to stop it").isTrue();
    }

    private long onlyQemu(String name) {
        List<Long> pids = QemuGuest.processes(stateDir, name);
        assertThat(pids).as("QEMU processes of " + name).hasSize(1);
        return pids.getFirst();
    }

    private static List<String> cgroups(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in the agent's log");
    }

    @AfterEach
    void cleanUp() {
        if (agentNode != null) {
            agentNode.close();
        }
    }
}
