package io.domainoperator.controller.agent;

import static io.domainoperator.controller.agent.AgentHarness.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import io.domainoperator.hypervisor.qemu.QemuOptions;
import io.domainoperator.reconciler.Reasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 11 on real QEMU, where guests take their RAM lazily: two domains whose maximum memory is each a little over
 * half of this host's memory (with no OS, each touches a few MiB of it). Judged by /proc/meminfo's MemAvailable alone
 * both would be admitted, one after the other, and together promise more than the host has. The QEMU backend's free
 * figure counts the first one's maximum, so the second waits Pending (InsufficientMemory) with no failed boot, and
 * boots once the first is deleted.
 */
// No TestResources.QEMU_GUESTS lock: its guests boot no OS (a few seconds of TCG firmware), so it may run beside the
// classes whose Linux guests need the CPU.
class QemuMemoryAdmissionIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final long HOST_RESERVE_MIB = 512;

    @TempDir
    Path state;

    @Test
    void aSecondGuestThatWouldOvercommitTheHostWaitsForTheFirstToGo() throws Exception {
        assumeTrue(QemuHypervisor.isInstalled("qemu-system-x86_64"),
            "qemu-system-x86_64 is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it");
        long totalMiB = meminfo("MemTotal:");
        long availableMiB = meminfo("MemAvailable:");
        // Over half of what the host can promise, so two do not fit; under what is available, so each fits alone.
        long maxMiB = (totalMiB - HOST_RESERVE_MIB) / 2 + 256;
        assumeTrue(maxMiB + 256 < availableMiB, "this host has " + availableMiB + " of " + totalMiB
            + " MiB available: too busy to show two guests of " + maxMiB + " MiB each fitting alone");
        QemuHypervisor qemu = new QemuHypervisor(QemuOptions.defaults(state).withVifNetworking(QemuOptions.VifNetworking.USER),
            new ProcessCommandRunner());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), qemu)) {
            h.apply(lazy("big1", maxMiB));
            await("big1 Running").atMost(WAIT).until(() -> phase(h, "big1") == DomainPhase.Running);

            h.apply(lazy("big2", maxMiB));
            await("big2 Pending for memory").atMost(WAIT).untilAsserted(() -> {
                assertThat(phase(h, "big2")).isEqualTo(DomainPhase.Pending);
                var ready = h.get("big2").getStatus().condition("Ready");
                assertThat(ready.getReason()).isEqualTo(Reasons.INSUFFICIENT_MEMORY);
                assertThat(ready.getMessage()).contains("needs " + maxMiB + " MiB (spec.maxMemoryMiB)");
            });
            assertThat(meminfo("MemAvailable:")).as("MemAvailable alone would have admitted big2").isGreaterThan(maxMiB);
            assertThat(qemu.listDomains()).as("big2 was never created").extracting(d -> d.name()).containsExactly("big1");
            assertThat(h.get("big2").getStatus().getBootAttempts()).isZero();

            h.client.resource(h.get("big1")).delete();
            await("big2 boots once big1 is gone").atMost(WAIT).until(() -> phase(h, "big2") == DomainPhase.Running);
            assertThat(h.get("big2").getStatus().getBootAttempts()).isZero();
        } finally {
            qemu.listDomains().forEach(d -> qemu.destroy(d.name()));
            qemu.close();
        }
    }

    /** No kernel, no disk: the firmware finds nothing to boot, so the guest touches little of its memory. */
    private static DomainConfig lazy(String name, long maxMiB) {
        DomainConfig dc = domain(name);
        dc.getSpec().setMemoryMiB(64);
        dc.getSpec().setMaxMemoryMiB((int) maxMiB);
        dc.getSpec().setShutdownTimeoutSeconds(1);
        return dc;
    }

    private static long meminfo(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith(field))
            .mapToLong(l -> Long.parseLong(l.split("\\s+")[1]) / 1024).findFirst().orElseThrow();
    }

    private static DomainPhase phase(AgentHarness h, String name) {
        DomainConfig dc = h.get(name);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }
}
