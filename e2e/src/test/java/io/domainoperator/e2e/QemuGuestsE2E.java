package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.KubectlTable;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.QemuGuest;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * Scenario 1 with real guests: a user applies the repository's NFS server and client examples (adapted only
 * in where the guest images live on this machine), assigns them to a node with {@code kubectl patch}, and
 * the node agent, its own process with the QEMU backend, boots them: {@code kubectl wait
 * --for=condition=Ready} succeeds, {@code kubectl get dom} shows Running, the node and a domain id, and
 * exactly one QEMU runs per guest. The client (spec.startAfter: nfs-server) becomes Ready no earlier than
 * the server. {@code kubectl delete} then halts both and leaves no QEMU behind.
 *
 * <p>Two guests at most: QEMU runs them under TCG here (no working KVM), which is slow on shared cores.
 */
// TCG guests, one class at a time: queued right behind HelmInstallE2E (see junit-platform.properties).
@Order(3)
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer
class QemuGuestsE2E {

    /** Two TCG guests booting on two shared cores. */
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final List<String> GUESTS = List.of("nfs-server", "nfs-client");

    @TempDir
    Path stateDir;

    private String namespace;
    private OperatorProcess agent;

    @Test
    void agentBootsTheExampleGuestsWithQemu(KubeCluster cluster) {
        Path guest = QemuGuest.assumeAvailable();
        Path examples = RepoFiles.examples().orElse(null);
        Assumptions.assumeTrue(examples != null, "no examples/ in " + RepoFiles.root());
        Kubectl kubectl = cluster.kubectl();
        Crds.install(kubectl);
        namespace = cluster.createNamespace("e2e-qemu");
        String node = "node-" + namespace;
        Domains domains = new Domains(kubectl, namespace);
        agent = OperatorProcess.agent(cluster.kubeconfig(), node, "qemu", stateDir, namespace, "--qemu-user-networking")
                .awaitReady();

        for (String name : GUESTS) {
            domains.apply(QemuGuest.example(examples.resolve(name + ".yaml"), guest));
            domains.patchSpec(name, "{\"nodeName\": \"" + node + "\"}");
        }

        var wait = kubectl.run(BOOT.plusMinutes(1), null, List.of("wait", "-n", namespace, "--for=condition=Ready",
                "--timeout=" + BOOT.toSeconds() + "s", "dom/nfs-server", "dom/nfs-client"));
        assertThat(wait.exitCode()).as(wait.describe() + "\n" + domains.describe("nfs-server")
                + domains.describe("nfs-client") + agent.logTail()).isZero();

        KubectlTable table = domains.table();
        for (String name : GUESTS) {
            assertThat(table.row(name))
                    .containsEntry("PHASE", "Running")
                    .containsEntry("NODE", node)
                    .containsEntry("VCPUS", "1")
                    .containsEntry("MEMORY", "128")
                    .containsEntry("READY", "True");
            assertThat(table.row(name).get("DOMID")).as(name + " has a domain id").matches("\\d+");
            assertThat(QemuGuest.processes(stateDir, name)).as("QEMU processes of " + name).hasSize(1);
        }
        String readySince = "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}";
        assertThat(domains.get("nfs-client", readySince))
                .as("the client starts after the server (RFC 3339 times compare as text)")
                .isGreaterThanOrEqualTo(domains.get("nfs-server", readySince));

        kubectl.ok("delete", "dom", "nfs-client", "nfs-server", "-n", namespace, "--wait=false");

        eventually("both guests deleted and their QEMUs gone").atMost(BOOT).untilAsserted(() -> {
            agent.assertAlive();
            for (String name : GUESTS) {
                assertThat(domains.exists(name)).as(name + " still exists:\n" + domains.describe(name)).isFalse();
                assertThat(QemuGuest.processes(stateDir, name)).as("QEMU processes of " + name).isEmpty();
            }
        });
    }

    @AfterEach
    void cleanUp(KubeCluster cluster) {
        if (agent != null) {
            agent.close();
        }
        QemuGuest.killAll(stateDir);
        cluster.deleteNamespace(namespace);
    }
}
