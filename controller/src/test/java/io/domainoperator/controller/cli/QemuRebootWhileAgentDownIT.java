package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.controller.TestResources;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The defect CrashMatrixQemuIT found, on the real process and a real guest: the agent stops (SIGTERM, no
 * --halt-on-exit, so the guest keeps running), the guest reboots from its serial console ({@code reboot -f}) while
 * no agent runs, then an agent starts again. QEMU only keeps its run state, and the SHUTDOWN event that said
 * "reboot" went to nobody; with onReboot Restart (the default) QEMU now resets the guest itself, so the next agent
 * finds the same QEMU running and reports Running, not a poweroff halted by onPoweroff (Destroy).
 */
// TCG guests, one class at a time, before the classes without guests (see the failsafe configuration).
@Order(2)
@ResourceLock(TestResources.QEMU_GUESTS)
class QemuRebootWhileAgentDownIT {
    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final String READY = "DOMAIN-OPERATOR-GUEST-READY";
    private static final String PROMPT = "domain-operator-guest# ";

    @TempDir
    Path tmp;

    @Test
    void aGuestThatRebootsWhileNoAgentRunsIsRunningWhenTheAgentComesBack() throws Exception {
        assumeTrue(QemuHypervisor.isInstalled("qemu-system-x86_64"), "qemu-system-x86_64 is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it");
        Path guest = Path.of(System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE", System.getProperty("user.home") + "/.cache/domain-operator"), "guest");
        assumeTrue(Files.exists(guest.resolve("READY")), "no test guest in " + guest + ": run .ci/setup.d/30-qemu-guest.sh");
        try (CrashScenario s = new CrashScenario(tmp, "qemu", guest, "--qemu-user-networking")) {
            Path console = s.stateDir().resolve("qemu/web");
            CliProcess first = s.start(Map.of());
            await("web Running, its shell on the console").atMost(BOOT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(first.alive()).as("the agent runs:\n%s", first.stderr()).isTrue();
                assertThat(s.phase()).isEqualTo("Running");
                assertThat(log(console)).contains(READY).contains(PROMPT);
            });
            // The process reports where the console is (its backend reaches the agent through the call counter,
            // which once kept consoles to itself).
            await("status.console").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Files.readString(s.stateDir().resolve("status/default_web.yaml")))
                    .contains("qemu/web/console.sock").contains("qemu/web/console.log"));
            long pid = s.qemuProcesses().get(0).pid();
            first.terminate(60);

            try (SocketChannel serial = SocketChannel.open(UnixDomainSocketAddress.of(console.resolve("console.sock")))) {
                serial.write(ByteBuffer.wrap("reboot -f\n".getBytes(StandardCharsets.US_ASCII)));
                // Connected until the guest acts on it: QEMU drops what the UART has not taken when the client leaves.
                await("the guest reboots").atMost(Duration.ofSeconds(60)).until(() -> log(console).contains("reboot: Restarting system"));
            }
            await("the guest booted again").atMost(BOOT).pollInterval(Duration.ofMillis(500))
                .until(() -> log(console).split(READY, -1).length - 1 == 2);
            // Only the next agent's verdict counts.
            Files.delete(s.stateDir().resolve("status/default_web.yaml"));

            CliProcess next = s.start(Map.of());
            await("the next agent reports web").atMost(BOOT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                assertThat(next.alive()).as("the agent runs:\n%s", next.stderr()).isTrue();
                assertThat(s.phase()).isNotEqualTo("(no status file)");
            });
            assertThat(s.phase()).as("a reboot, not a poweroff halted by onPoweroff").isEqualTo("Running");
            assertThat(s.qemuProcesses()).as("the same QEMU").singleElement().extracting(ProcessHandle::pid).isEqualTo(pid);
        }
    }

    private static String log(Path domainDir) throws IOException {
        Path log = domainDir.resolve("console.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
