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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 18, live resize with a real QEMU guest, the agent as its own process and the real API server: a guest booted
 * with 1 vCPU and 128 MiB and room for 2 and 256 MiB is given 2 vCPUs and 192 MiB with {@code kubectl patch}. The
 * same QEMU keeps running it (no restart, one boot), ConfigApplied says AppliedLive, the agent's /metrics show the
 * vCPUs and the balloon's memory QEMU reports, and the guest's kernel sees the hot-added vCPU.
 */
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer
class LiveResizeE2E {
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final long MIB = 1L << 20;

    @TempDir
    Path stateDir;

    private String namespace;
    private OperatorProcess agent;

    @Test
    void vcpusAndMemoryChangedWithinTheMaximaAreAppliedToTheRunningGuest(KubeCluster cluster) throws IOException {
        Path guest = QemuGuest.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "needs root: the agent moves each QEMU into the host's cgroup tree, which only root may write");
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-resize");
        String node = "node-" + namespace;
        Domains domains = new Domains(cluster.kubectl(), namespace);
        agent = OperatorProcess.agent(cluster.kubeconfig(), node, "qemu", stateDir, namespace, "--qemu-user-networking")
            .awaitReady();
        String yaml = QemuGuest.domain("grow", node, guest);
        assertThat(yaml).contains("  shutdownTimeoutSeconds: 30\n");
        domains.apply(yaml.replace("  shutdownTimeoutSeconds: 30\n",
            "  shutdownTimeoutSeconds: 30\n  maxVcpus: 2\n  maxMemoryMiB: 256\n"));
        Path console = GuestConsole.log(stateDir, "grow");
        eventually("the guest's init is done").atMost(BOOT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.phase("grow")).as(domains.describe("grow")).isEqualTo("Running");
            assertThat(Files.exists(console) && Files.readString(console).contains("DOMAIN-OPERATOR-GUEST-READY")).isTrue();
        });
        List<Long> qemu = QemuGuest.processes(stateDir, "grow");
        assertThat(qemu).hasSize(1);
        String domainId = domains.get("grow", "{.status.domainId}");
        Map<String, String> labels = Map.of("name", "grow", "node", node);

        domains.patchSpec("grow", "{\"vcpus\":2,\"memoryMiB\":192}");
        eventually("applied live").atMost(BOOT).untilAsserted(() -> {
            agent.assertAlive();
            assertThat(domains.conditionReason("grow", "ConfigApplied")).as(domains.describe("grow") + agent.logTail())
                .isEqualTo("AppliedLive");
            assertThat(agent.metrics().sum("domainoperator_domain_vcpus", labels)).as("vCPUs QEMU reports").isEqualTo(2);
            assertThat(agent.metrics().sum("domainoperator_domain_memory_bytes", labels))
                .as("memory the balloon reports").isEqualTo(192 * MIB);
        });
        assertThat(domains.phase("grow")).isEqualTo("Running");
        assertThat(QemuGuest.processes(stateDir, "grow")).as("the same QEMU, not a restart").isEqualTo(qemu);
        assertThat(domains.get("grow", "{.status.domainId}")).as("the same domain").isEqualTo(domainId);
        assertThat(agent.metrics().sum("domainoperator_boot_attempts_total", Map.of("node", node))).as("one boot")
            .isEqualTo(1);
        // The ACPI hotplug reached the guest's kernel: its second vCPU is present (computed by the guest's shell, so the
        // answer is not the echo of the typed line).
        GuestConsole.type(stateDir, "grow", "echo cpus-$(cat /sys/devices/system/cpu/present)\n", "cpus-0-1");
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
