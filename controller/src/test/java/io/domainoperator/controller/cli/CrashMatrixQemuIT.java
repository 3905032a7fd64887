package io.domainoperator.controller.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.controller.TestResources;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash matrix's points that matter most on a real QEMU (TCG here) with the tiny Linux guest: the agent is
 * killed with SIGKILL right after QEMU was started paused (its outcome not journaled) and just before a destroy;
 * the next agent re-attaches or rebuilds, and exactly one QEMU (or none) is left, the disk copy intact. A guest
 * boot costs seconds under TCG, so CI runs these two; {@code -Dcrash.qemu.points=all} adds the disk copy and
 * unpause points and issue 18's live resize, pause and resume (or name them: {@code POINT@GOAL,...}).
 *
 * <p>UNPAUSE_AFTER@BOOT once failed here, and found two things: the scenario gave the guest 64 MiB, with which it
 * resets before its first line of output (every QEMU point "converged" on a reset loop; it now gets 128 MiB), and a
 * QEMU guest that stops while no agent watches is taken for a poweroff (only the missed SHUTDOWN event says it was a
 * reboot), so its onPoweroff policy applied. Fixed since (QEMU resets a guest whose onReboot is Restart itself, and
 * keeps an event log when the policies differ); {@code QemuRebootWhileAgentDownIT} is its regression test.
 */
// TCG guests, one class at a time, before the classes without guests (see the failsafe configuration).
@Order(2)
@ResourceLock(TestResources.QEMU_GUESTS)
class CrashMatrixQemuIT {
    private static final List<String> MATRIX = new ArrayList<>();

    @TempDir
    Path tmp;

    static Stream<CrashScenario.Point> points() {
        List<CrashScenario.Point> ci = List.of(new CrashScenario.Point("CREATE_PAUSED_AFTER", CrashScenario.Goal.BOOT),
            new CrashScenario.Point("DESTROY_BEFORE", CrashScenario.Goal.HALT));
        List<CrashScenario.Point> more = List.of(new CrashScenario.Point("DISK_COPY_UNPUBLISHED", CrashScenario.Goal.BOOT),
            new CrashScenario.Point("CREATE_PAUSED_BEFORE", CrashScenario.Goal.BOOT),
            new CrashScenario.Point("UNPAUSE_BEFORE", CrashScenario.Goal.BOOT),
            new CrashScenario.Point("UNPAUSE_AFTER", CrashScenario.Goal.BOOT),
            new CrashScenario.Point("DESTROY_AFTER", CrashScenario.Goal.HALT),
            // Issue 18 on a real QEMU: CPU hotplug (the guest boots with room for 2 vCPUs), QMP stop and cont.
            new CrashScenario.Point("RESIZE_LIVE_BEFORE", CrashScenario.Goal.RESIZE),
            new CrashScenario.Point("RESIZE_LIVE_AFTER", CrashScenario.Goal.RESIZE),
            new CrashScenario.Point("PAUSE_BEFORE", CrashScenario.Goal.PAUSE),
            new CrashScenario.Point("PAUSE_AFTER", CrashScenario.Goal.PAUSE),
            new CrashScenario.Point("RESUME_BEFORE", CrashScenario.Goal.RESUME),
            new CrashScenario.Point("RESUME_AFTER", CrashScenario.Goal.RESUME));
        String asked = System.getProperty("crash.qemu.points", "");
        if (asked.equals("all")) {
            return Stream.concat(ci.stream(), more.stream());
        }
        if (asked.isBlank()) {
            return ci.stream();
        }
        List<String> names = List.of(asked.split(","));
        return Stream.concat(ci.stream(), more.stream()).filter(p -> names.contains(p.crashAt() + "@" + p.goal()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("points")
    void killedAtAPointTheNextAgentConvergesOnRealQemu(CrashScenario.Point point) throws Exception {
        assumeTrue(QemuHypervisor.isInstalled("qemu-system-x86_64"), "qemu-system-x86_64 is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it");
        Path guest = Path.of(System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE", System.getProperty("user.home") + "/.cache/domain-operator"), "guest");
        assumeTrue(Files.exists(guest.resolve("READY")), "no test guest in " + guest + ": run .ci/setup.d/30-qemu-guest.sh");
        new CrashScenario(tmp, "qemu", guest, "--qemu-user-networking").killRestartAndConverge(point, MATRIX);
    }

    @AfterAll
    static void printMatrix() {
        System.out.println("crash matrix (qemu), " + MATRIX.size() + " point(s):\n" + String.join("\n", MATRIX));
    }
}
