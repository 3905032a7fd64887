package io.domainoperator.controller.cli;

import static io.domainoperator.controller.cli.ReadmeRun.TIMEOUT;
import static io.domainoperator.controller.cli.ReadmeRun.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.controller.TestResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The README's real VMs as a user runs them: {@code scripts/demo-guest.sh}, then {@code ./domain-operator standalone}
 * with QEMU, checked on the status files and the machine's processes. Apart from {@link CliProcessIT} so that only
 * this test, not the whole CLI tier, holds the guests' lock.
 */
// TCG guests, one class at a time, before the classes without guests (see the failsafe configuration).
@Order(1)
@ResourceLock(TestResources.QEMU_GUESTS)
@ResourceLock(TestResources.README_METRICS_PORT)
class CliQemuProcessIT {

    @TempDir
    Path tmp;

    private Path logs() {
        return tmp.resolve("logs");
    }

    /**
     * The README's "With real VMs": {@code scripts/demo-guest.sh}, then the launcher on the examples with QEMU and
     * user-mode networking (no bridges here). The guests outlive that agent (it has no --halt-on-exit), so a second
     * run on the same state directory with --halt-on-exit takes them over and halts them: nothing is left behind.
     */
    @Test
    void readmeRealVmsWithQemu() throws IOException {
        assumeThat(onPath("qemu-system-x86_64")).as("qemu-system-x86_64 is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it").isTrue();
        Path cache = Path.of(System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE", System.getProperty("user.home") + "/.cache/domain-operator"));
        assumeThat(cache.resolve("guest/READY")).as("no test guest in the cache: run .ci/setup.d/30-qemu-guest.sh").exists();

        CliProcess.Result demo = CliProcess.script(tmp, env(), logs(), "scripts/demo-guest.sh").finish(TIMEOUT);
        assertThat(demo.exit()).as("%s", demo).isZero();
        assertThat(demo.stderr()).as("%s", demo).contains("guest images in /var/lib/domain-operator/images/tiny-linux");
        assertThat(Path.of("/var/lib/domain-operator/images/tiny-linux/vmlinuz")).exists();

        Path run = Files.createDirectories(tmp.resolve("real"));
        ReadmeRun.copyExamples(run.resolve("examples"));
        CliProcess vms = CliProcess.launcher(run, env(), logs(),
            ReadmeRun.args("standalone", "--manifests", "examples", "--qemu-user-networking"));
        Path status = run.resolve("state/status");
        try {
            await("real guests: nfs-server, pv-guest and nfs-client Running, vyos-app Broken").atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(vms.alive()).as("standalone still running; stderr:\n%s", vms.stderr()).isTrue();
                    assertThat(ReadmeRun.phase(status, "nfs-server")).isEqualTo("Running");
                    assertThat(ReadmeRun.phase(status, "pv-guest")).isEqualTo("Running");
                    assertThat(ReadmeRun.phase(status, "nfs-client")).isEqualTo("Running");
                    assertThat(ReadmeRun.phase(status, "vyos-app")).isEqualTo("Broken");
                });
            assertThat(qemuProcessesUnder(run)).as("one QEMU per booted guest").hasSize(3);
        } finally {
            CliProcess.Result r = vms.terminate(TIMEOUT);
            assertThat(r.exit()).as("%s", r).isIn(0, ReadmeRun.SIGTERM_EXIT);
        }

        CliProcess cleanup = CliProcess.jar(run, env(), logs(), "standalone", "--manifests", "examples", "--qemu-user-networking",
            "--hypervisor", "qemu", "--halt-on-exit", "--metrics-port", "0");
        await("the next agent reports the guests it found Running").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> {
                assertThat(cleanup.alive()).as("standalone still running; stderr:\n%s", cleanup.stderr()).isTrue();
                // its own status write (the status mirror logs each), about the guest it re-attached, no second QEMU
                assertThat(cleanup.stderr()).contains("default/nfs-client: phase=Running").doesNotContain("starting QEMU");
            });
        CliProcess.Result halted = cleanup.terminate(TIMEOUT);
        assertThat(halted.exit()).as("%s", halted).isIn(0, ReadmeRun.SIGTERM_EXIT);
        assertThat(halted.stderr()).as("%s", halted).doesNotContain("\tat ");
        assertThat(qemuProcessesUnder(run)).as("QEMU processes of this run left behind").isEmpty();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** Live QEMU processes of this run: the pid files the backend keeps in {@code state/qemu/<domain>/pid}. */
    private static List<Long> qemuProcessesUnder(Path run) throws IOException {
        Path qemu = run.resolve("state/qemu");
        if (!Files.isDirectory(qemu)) {
            return List.of();
        }
        try (Stream<Path> domains = Files.list(qemu)) {
            return domains.map(d -> d.resolve("pid")).filter(Files::isRegularFile).map(CliQemuProcessIT::readPid)
                .filter(pid -> pid > 0).filter(pid -> ProcessHandle.of(pid).map(h -> h.isAlive()
                    && h.info().commandLine().map(c -> c.contains("qemu-system")).orElse(false)).orElse(false))
                .toList();
        }
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
