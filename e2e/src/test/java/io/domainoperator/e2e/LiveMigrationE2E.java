package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.e2e.harness.CountingGuest;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.QemuGuest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Live migration as a user runs it: two node agents on this machine (two nodes, each its own process and state
 * directory, QEMU backend) and the cluster controller against the real API server. The tiny guest boots on node A and
 * counts on its serial console; {@code kubectl apply} of a DomainMigration moves it to node B. The counter keeps
 * increasing across the move, afterwards exactly one QEMU runs it (B's), {@code kubectl get dom} shows B, and the
 * DomainMigration's status and A's metrics carry the migration time and downtime. Then node B is cordoned and labelled
 * {@code domainoperator.io/maintenance=true}: the controller drains it, moving the guest back to A live (it keeps counting)
 * and clearing the DomainConfig's Draining condition. Both agents read the guest's
 * kernel and initrd from the same files: the shared storage live migration needs.
 */
@Order(3)
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
class LiveMigrationE2E {
    private static final Duration BOOT = Duration.ofMinutes(6);

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;
    private String namespace;
    private String system;
    private OperatorProcess agentA;
    private OperatorProcess agentB;
    private OperatorProcess controller;

    @Test
    void aRunningGuestMovesToAnotherNodeAndKeepsCounting(KubeCluster cluster) throws IOException {
        Path guest = QemuGuest.assumeAvailable();
        Kubectl kubectl = cluster.kubectl();
        Crds.install(kubectl);
        system = cluster.createNamespace("e2e-mig-system");
        namespace = cluster.createNamespace("e2e-mig");
        String nodeA = "mig-a-" + namespace;
        String nodeB = "mig-b-" + namespace;
        Domains domains = new Domains(kubectl, namespace);
        controller = OperatorProcess.controller(cluster.kubeconfig(), system, "e2e-mig-controller").awaitReady();
        agentA = OperatorProcess.agent(cluster.kubeconfig(), nodeA, "qemu", stateA, system, "--qemu-user-networking").awaitReady();
        agentB = OperatorProcess.agent(cluster.kubeconfig(), nodeB, "qemu", stateB, system, "--qemu-user-networking").awaitReady();

        domains.apply(QemuGuest.domain("mover", nodeA, guest));
        var wait = kubectl.run(BOOT.plusMinutes(1), null, List.of("wait", "-n", namespace, "--for=condition=Ready",
            "--timeout=" + BOOT.toSeconds() + "s", "dom/mover"));
        assertThat(wait.exitCode()).as(wait.describe() + "\n" + domains.describe("mover") + agentA.logTail()).isZero();

        CountingGuest.startCounting(stateA, "mover", BOOT);
        // Read on A before the move: once the migration succeeds A's copy, its directory and console log are gone.
        int countOnA = CountingGuest.lastCount(stateA, "mover");

        kubectl.runWithInput("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainMigration
            metadata: {name: move-mover, namespace: %s}
            spec: {domainConfig: mover, targetNode: %s}
            """.formatted(namespace, nodeB), "apply", "-f", "-");
        eventually("the migration succeeded").atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            controller.assertAlive();
            agentA.assertAlive();
            agentB.assertAlive();
            assertThat(migration("{.status.phase}", kubectl)).as(kubectl.run("get", "dmig", "-n", namespace, "-o", "yaml")
                .stdout() + agentA.logTail() + agentB.logTail() + controller.logTail()).isEqualTo("Succeeded");
        });
        eventually("the guest keeps counting on B past " + countOnA).atMost(Duration.ofMinutes(1))
            .until(() -> CountingGuest.lastCount(stateB, "mover") > countOnA + 1);
        assertThat(QemuGuest.processes(stateA, "mover")).as("QEMUs of mover on A").isEmpty();
        assertThat(QemuGuest.processes(stateB, "mover")).as("QEMUs of mover on B").hasSize(1);
        eventually("kubectl get dom shows B").untilAsserted(() -> {
            assertThat(domains.table().row("mover")).containsEntry("NODE", nodeB).containsEntry("PHASE", "Running");
        });
        assertThat(Long.parseLong(migration("{.status.migrationTimeMillis}", kubectl))).isPositive();
        assertThat(migration("{.status.downtimeMillis}", kubectl)).matches("\\d+");
        assertThat(migration("{.status.sourceNode}", kubectl)).isEqualTo(nodeA);
        assertThat(agentA.metrics().sum("domainoperator_migration_duration_seconds_count",
            java.util.Map.of("node", nodeA)))
            .isEqualTo(1.0);
        System.out.printf("live migration E2E: copy %s ms, stopped %s ms; counter %d on A, %d on B%n",
            migration("{.status.migrationTimeMillis}", kubectl), migration("{.status.downtimeMillis}", kubectl), countOnA,
            CountingGuest.lastCount(stateB, "mover"));

        // Node drain: B cordoned and labelled for maintenance; the controller moves the guest back to A by itself, live.
        int countOnB = CountingGuest.lastCount(stateB, "mover");
        kubectl.runWithInput("""
            apiVersion: v1
            kind: Node
            metadata: {name: %s, labels: {domainoperator.io/maintenance: "true"}}
            spec: {unschedulable: true}
            """.formatted(nodeB), "apply", "-f", "-");
        eventually("node B drained: the guest runs on A again").atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            controller.assertAlive();
            assertThat(domains.get("mover", "{.spec.nodeName}")).as(kubectl.run("get", "dmig", "-n", namespace, "-o", "yaml")
                .stdout() + controller.logTail()).isEqualTo(nodeA);
            assertThat(QemuGuest.processes(stateB, "mover")).as("QEMUs of mover on B").isEmpty();
            assertThat(QemuGuest.processes(stateA, "mover")).as("QEMUs of mover on A").hasSize(1);
        });
        // The DomainConfig names A just before the controller writes Succeeded.
        eventually("the drain's migration succeeded").untilAsserted(() -> assertThat(kubectl.ok("get", "dmig", "-n",
            namespace, "-l", "domainoperator.io/drained-node=" + nodeB, "-o", "jsonpath={.items[*].status.phase}")
            .stdout().strip()).isEqualTo("Succeeded"));
        assertThat(domains.eventReasons("mover")).contains("Draining", "Migrated");
        eventually("the guest keeps counting on A past " + countOnB + " (moved live, not rebooted)").atMost(Duration.ofMinutes(1))
            .until(() -> CountingGuest.lastCount(stateA, "mover") > countOnB);
        eventually("the Draining condition is gone once the guest is off B").untilAsserted(() -> assertThat(
            domains.get("mover", "{.status.conditions[?(@.type==\"Draining\")].reason}")).isEmpty());
    }

    private String migration(String jsonpath, Kubectl kubectl) {
        return kubectl.ok("get", "dmig", "move-mover", "-n", namespace, "-o", "jsonpath=" + jsonpath).stdout().strip();
    }

    @AfterEach
    void cleanUp(KubeCluster cluster) {
        for (OperatorProcess p : new OperatorProcess[] {agentA, agentB, controller}) {
            if (p != null) {
                p.close();
            }
        }
        QemuGuest.killAll(stateA);
        QemuGuest.killAll(stateB);
        cluster.deleteNamespace(namespace);
        cluster.deleteNamespace(system);
        if (namespace != null) {
            cluster.kubectl().run("delete", "node", "mig-b-" + namespace, "--ignore-not-found");
        }
    }
}
