package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.controller.TestResources;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import io.domainoperator.hypervisor.qemu.QemuOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The node agent's core scenario against a real QEMU (TCG here) booting the tiny Linux guest that
 * .ci/setup.d/30-qemu-guest.sh builds: apply, the guest boots, delete, the guest is powered off. The API
 * server is fabric8's CRUD emulation; the e2e module runs the same against a real kube-apiserver.
 */
// TCG guests, one class at a time, before the classes without guests (see the failsafe configuration).
@Order(4)
@ResourceLock(TestResources.QEMU_GUESTS)
class QemuAgentIT {
    private static final Duration BOOT = Duration.ofMinutes(3);

    @TempDir
    Path state;

    static Path guest() {
        assumeTrue(QemuHypervisor.isInstalled("qemu-system-x86_64"),
            "qemu-system-x86_64 is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it");
        String cache = System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE", System.getProperty("user.home") + "/.cache/domain-operator");
        Path guest = Path.of(cache, "guest");
        assumeTrue(Files.exists(guest.resolve("READY")), "no test guest in " + guest + ": run .ci/setup.d/30-qemu-guest.sh");
        return guest;
    }

    @Test
    void appliedGuestBootsAndIsPoweredOffWhenDeleted() throws Exception {
        Path guest = guest();
        QemuHypervisor qemu = new QemuHypervisor(QemuOptions.defaults(state).withVifNetworking(QemuOptions.VifNetworking.USER),
            new ProcessCommandRunner());
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs(), qemu)) {
            DomainConfig dc = AgentHarness.domain("tiny");
            dc.getSpec().setMemoryMiB(128);
            dc.getSpec().setKernel(guest.resolve("vmlinuz").toString());
            dc.getSpec().setRamdisk(guest.resolve("initrd.img").toString());
            dc.getSpec().setCmdline(Files.readString(guest.resolve("cmdline")).strip());
            dc.getSpec().setShutdownTimeoutSeconds(60);
            h.apply(dc);

            await("tiny Running").atMost(BOOT).untilAsserted(() -> {
                DomainConfig now = h.get("tiny");
                assertThat(now.getStatus()).isNotNull();
                assertThat(now.getStatus().getPhase()).isEqualTo(DomainPhase.Running);
            });
            await("the guest's init reports ready on its console").atMost(BOOT).untilAsserted(() ->
                assertThat(Files.readString(qemu.consoleLog("tiny").orElseThrow())).contains("DOMAIN-OPERATOR-GUEST-READY"));

            h.client.resources(DomainConfig.class).inNamespace("default").withName("tiny").delete();

            await("object gone after the halt").atMost(BOOT).untilAsserted(() -> assertThat(h.get("tiny")).isNull());
            assertThat(qemu.listDomains()).isEmpty();
            assertThat(h.eventReasons("tiny")).contains("GracefulShutdown").doesNotContain("ShutdownForced");
        } finally {
            qemu.listDomains().forEach(d -> qemu.destroy(d.name()));
            qemu.close();
        }
    }
}
