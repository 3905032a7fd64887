package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.GuestConsole;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.QemuGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 18, save and restore across a node shutdown, with a real QEMU guest, the agent as its own process and the
 * real API server: a guest whose spec.onHostShutdown is Save keeps a value in its tmpfs; the host unit's halt-all
 * saves it (no QEMU left, an image in the save directory); the next agent restores it: the value is still there, the
 * condition Restored is True and the agent booted nothing. Then spec.desiredState Suspended saves it (no QEMU, phase
 * Suspended) and Running restores it: the value survives again, still with no boot.
 */
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer
class SaveRestoreE2E {
    private static final Duration BOOT = Duration.ofMinutes(6);

    @TempDir
    Path stateDir;

    private String namespace;
    private OperatorProcess first;
    private OperatorProcess second;

    @Test
    void aGuestSavedAtTheNodesShutdownIsRestoredNotRebooted(KubeCluster cluster) throws IOException {
        Path guest = QemuGuest.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "needs root: the agent moves each QEMU into the host's cgroup tree, which only root may write");
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-save");
        String node = "node-" + namespace;
        Domains domains = new Domains(cluster.kubectl(), namespace);
        first = OperatorProcess.agent(cluster.kubeconfig(), node, "qemu", stateDir, namespace, "--qemu-user-networking")
            .awaitReady();
        String yaml = QemuGuest.domain("keeper", node, guest);
        assertThat(yaml).contains("  shutdownTimeoutSeconds: 30\n");
        domains.apply(yaml.replace("  shutdownTimeoutSeconds: 30\n", "  shutdownTimeoutSeconds: 30\n  onHostShutdown: Save\n"));
        Path console = stateDir.resolve("qemu/keeper/console.log");
        eventually("the guest's init is done").atMost(BOOT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            first.assertAlive();
            assertThat(domains.phase("keeper")).as(domains.describe("keeper")).isEqualTo("Running");
            assertThat(Files.exists(console) && Files.readString(console).contains("DOMAIN-OPERATOR-GUEST-READY")).isTrue();
        });
        // Typed as an expression: "kept-42" reaches the console only when the guest prints the file back.
        // The guest must have run the line before the save stops it: it says so with a second computed word.
        GuestConsole.type(stateDir, "keeper", "echo kept-$((6*7)) > /tmp/value; echo stored-$((2*2))\n", "stored-4");
        assertThat(Files.readString(console)).doesNotContain("kept-42");

        Path runDir = Files.createDirectories(stateDir.resolve("run"));
        Files.writeString(runDir.resolve("halt-all"), ""); // what the host's shutdown unit does
        eventually("the agent reports the node's shutdown done").atMost(BOOT).untilAsserted(() ->
            assertThat(runDir.resolve("halt-all.done")).as(first.logTail()).exists());
        assertThat(QemuGuest.processes(stateDir, "keeper")).as("no QEMU after the save").isEmpty();
        assertThat(images()).as("the save image").hasSize(1);
        first.close();
        // The node is back: the host unit's request is gone.
        Files.deleteIfExists(runDir.resolve("halt-all"));
        Files.deleteIfExists(runDir.resolve("halt-all.done"));

        second = OperatorProcess.agent(cluster.kubeconfig(), node, "qemu", stateDir, namespace, "--qemu-user-networking")
            .awaitReady();
        eventually("restored").atMost(BOOT).untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.phase("keeper")).as(domains.describe("keeper") + second.logTail()).isEqualTo("Running");
            assertThat(domains.condition("keeper", "Restored")).isEqualTo("True");
            assertThat(images()).as("the image goes once the guest runs").isEmpty();
        });
        GuestConsole.type(stateDir, "keeper", "cat /tmp/value\n", "kept-42"); // the value written before the save
        assertThat(second.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", node)))
            .as("boots by the new agent").isZero();
        assertThat(domains.eventReasons("keeper")).contains("Restored");

        // Suspended by spec, then Running again: saved (no QEMU, phase Suspended), then restored, not booted.
        domains.patchSpec("keeper", "{\"desiredState\":\"Suspended\"}");
        eventually("suspended").atMost(BOOT).untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.phase("keeper")).as(domains.describe("keeper") + second.logTail()).isEqualTo("Suspended");
            assertThat(QemuGuest.processes(stateDir, "keeper")).as("no QEMU while suspended").isEmpty();
            assertThat(images()).as("the save image").hasSize(1);
        });
        domains.patchSpec("keeper", "{\"desiredState\":\"Running\"}");
        eventually("resumed from the image").atMost(BOOT).untilAsserted(() -> {
            second.assertAlive();
            assertThat(domains.phase("keeper")).as(domains.describe("keeper") + second.logTail()).isEqualTo("Running");
            assertThat(images()).as("the image goes once the guest runs").isEmpty();
        });
        GuestConsole.type(stateDir, "keeper", "cat /tmp/value\n", "kept-42"); // still the value written before the first save
        assertThat(second.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", node)))
            .as("boots by the new agent, suspend and resume included").isZero();
    }

    private List<Path> images() throws IOException {
        Path dir = stateDir.resolve("save");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".save")).toList();
        }
    }

    @AfterEach
    void cleanUp(KubeCluster cluster) {
        for (OperatorProcess agent : new OperatorProcess[] {first, second}) {
            if (agent != null) {
                agent.close();
            }
        }
        QemuGuest.killAll(stateDir);
        cluster.deleteNamespace(namespace);
    }
}
