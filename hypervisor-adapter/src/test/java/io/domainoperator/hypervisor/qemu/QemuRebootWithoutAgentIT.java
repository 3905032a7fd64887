package io.domainoperator.hypervisor.qemu;

import static io.domainoperator.hypervisor.qemu.TestGuest.console;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A guest that reboots while no agent is attached (the agent restarting, or down): QEMU keeps only its run state,
 * and the SHUTDOWN event that said "reboot" went to nobody. With onReboot Restart QEMU resets the guest itself, so
 * the next agent finds it running; with another onReboot (here Preserve, which differs from onPoweroff's Destroy)
 * the next agent reads the reason from QEMU's own event log. Each case boots the tiny guest under TCG, once; CI runs
 * the second (the first is proven through the agent process, see its comment).
 */
class QemuRebootWithoutAgentIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    /** The guest's shell prompt on its serial console (.ci/setup.d/30-qemu-guest.sh). */
    private static final String PROMPT = "domain-operator-guest# ";
    private static final String REBOOTING = "reboot: Restarting system";

    @RegisterExtension
    final QemuNode node = new QemuNode();

    /**
     * Not in CI (profile {@code overlap}): {@code QemuRebootWhileAgentDownIT} (controller) proves the same on the
     * real guest through the agent process: booted again by QEMU's own reset, Running, the same QEMU.
     */
    @Test
    @Tag("overlap")
    void withOnRebootRestartQemuResetsTheGuestItselfAndTheNextAgentFindsItRunning() throws IOException {
        int id = bootThenRebootDetached("resetter", null);
        await("the guest booted again, QEMU's own reset").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> markers(node.console("resetter")) == 2);

        node.attach();
        DomainInfo info = only();
        assertThat(info.state().running()).as("running, not a stopped shell taken for a poweroff: %s", info.state()).isTrue();
        assertThat(info.domainId()).as("the same QEMU, not a rebuilt one").isEqualTo(id);
    }

    @Test
    void withAnotherOnRebootTheReasonOutlivesTheAgentInQemusEventLog() throws IOException {
        bootThenRebootDetached("keeper", LifecyclePolicy.Preserve);

        node.attach();
        await("the next agent sees a stopped guest, and why").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            DomainInfo info = only();
            assertThat(info.state().shutdown()).as("stopped: %s", info.state()).isTrue();
            assertThat(info.state().shutdownReason()).as("a reboot, not a poweroff").isEqualTo(ShutdownReason.REBOOT);
        });
        assertThat(markers(console(node.backend(), "keeper"))).as("QEMU did not reset it").isEqualTo(1);
    }

    /** Boots the guest, detaches the backend (as an agent that stops), then types {@code reboot -f} on its console. */
    private int bootThenRebootDetached(String name, LifecyclePolicy onReboot) throws IOException {
        Path guest = TestGuest.assumeGuest();
        DomainInfo created = node.backend().createPaused(TestGuest.linux(name, guest, spec -> spec.setOnReboot(onReboot)));
        node.backend().unpause(name);
        await("guest booted (console marker)").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> markers(console(node.backend(), name)) == 1 && console(node.backend(), name).contains(PROMPT));
        Path socket = node.paths(name).consoleSocket();
        node.detach();
        // Connected until the guest acts on it: QEMU drops what the UART has not taken yet when the client leaves.
        try (SocketChannel console = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            console.write(ByteBuffer.wrap("reboot -f\n".getBytes(StandardCharsets.US_ASCII)));
            await("the guest restarts its system").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> node.console(name).contains(REBOOTING));
        }
        return created.domainId();
    }

    private DomainInfo only() {
        List<DomainInfo> all = node.backend().listDomains();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static int markers(String console) {
        return console.split(TestGuest.READY_MARKER, -1).length - 1;
    }
}
