package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.hypervisor.qemu.GuestAgentClient.GuestAgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol against Debian's real qemu-ga, run on the host listening on a unix socket ({@code -m unix-listen}), the
 * same program the test guest runs on its virtio-serial channel (that end to end: {@code GuestConsoleIT}). The binary
 * is the one .ci/setup.d/30-qemu-guest.sh puts in the guest, kept beside it.
 */
class GuestAgentClientIT {
    @TempDir
    Path dir;

    @Test
    void debiansQemuGaAnswersSyncPingAndInfoAndAStoppedOneIsReported() throws Exception {
        Path qemuGa = TestGuest.cacheDir().resolve("guest/qemu-ga");
        assumeTrue(Files.isExecutable(qemuGa), "no " + qemuGa + ": .ci/setup.d/30-qemu-guest.sh (recipe 7 or later)"
            + " keeps Debian's qemu-ga beside the test guest");
        Path socket = dir.resolve("qga.sock");
        Files.createDirectories(dir.resolve("state"));
        Process agent = new ProcessBuilder(qemuGa.toString(), "-m", "unix-listen", "-p", socket.toString(),
            "-t", dir.resolve("state").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("qga.log").toFile()).start();
        try {
            await("qemu-ga listens").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket) || !agent.isAlive());
            assertThat(agent.isAlive()).as("qemu-ga runs; its log: %s", Files.readString(dir.resolve("qga.log"))).isTrue();

            assertThat(GuestAgentClient.ping(socket, Duration.ofSeconds(10))).as("guest-info's version").matches("\\d+\\.\\d+.*");
            assertThat(GuestAgentClient.ping(socket, Duration.ofSeconds(10))).as("a second client syncs again").isNotEmpty();

            agent.destroy();
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> GuestAgentClient.ping(socket, Duration.ofSeconds(2)))
                .isInstanceOf(GuestAgentException.class).hasMessageContaining(socket.toString());
        } finally {
            agent.destroyForcibly();
        }
    }
}
