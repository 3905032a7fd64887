package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.testing.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest reboot must not depend on the agent seeing QEMU's SHUTDOWN event: with onReboot Restart QEMU resets the
 * guest itself; when a reboot and a poweroff lead to different policies, QEMU also logs its events to a file
 * that outlives the agent.
 */
class GuestStopActionsTest {
    private static final String ACTION_RESET = "reboot=reset,shutdown=pause,panic=pause";
    private static final String ACTION_STOP = "reboot=shutdown,shutdown=pause,panic=pause";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "onReboot {0}, onPoweroff {1}: -action {2}, event log {3}")
    @CsvSource(nullValues = "default", value = {
        "default,  default,  " + "reset, false",
        "Restart,  Destroy,  " + "reset, false",
        "Restart,  Restart,  " + "reset, false",
        "Preserve, default,  " + "stop,  true",
        "Destroy,  default,  " + "stop,  false", // both Destroy (onPoweroff's default): the reason changes nothing
        "Destroy,  Restart,  " + "stop,  true",
        "Preserve, Preserve, " + "stop,  false",
    })
    void theRebootActionFollowsTheDomainsPolicies(LifecyclePolicy onReboot, LifecyclePolicy onPoweroff, String action,
                                                  boolean eventLog) {
        List<String> argv = argv(spec -> {
            spec.setOnReboot(onReboot);
            spec.setOnPoweroff(onPoweroff);
        });
        assertThat(argv.get(argv.indexOf("-action") + 1)).isEqualTo(action.equals("reset") ? ACTION_RESET : ACTION_STOP);
        if (eventLog) {
            assertThat(String.join(" ", argv)).contains("-chardev pipe,id=events,path=" + dir.resolve("events")
                + " -mon chardev=events,mode=control");
        } else {
            assertThat(argv).noneMatch(a -> a.contains("id=events"));
        }
    }

    @Test
    void theLastStopInTheEventLogGivesTheReason() throws IOException {
        DomainPaths paths = new DomainPaths(dir);
        assertThat(QemuEventLog.lastStop(paths)).as("no log").isEmpty();
        QemuEventLog.prepare(paths);
        assertThat(Files.readString(dir.resolve("events.in"))).isEqualTo("{\"execute\":\"qmp_capabilities\"}\n");
        assertThat(QemuEventLog.lastStop(paths)).as("an empty log").isEmpty();
        // What QEMU 7.2 wrote to events.out for a guest that ran, then ran `reboot -f` (reboot=shutdown).
        Files.writeString(QemuEventLog.output(paths), """
            {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}
            {"return": {}}
            {"timestamp": {"seconds": 1796060601, "microseconds": 316759}, "event": "RESUME"}
            {"timestamp": {"seconds": 1796060601, "microseconds": 324555}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-reset"}}
            {"timestamp": {"seconds": 1796060601, "microseconds": 324954}, "event": "STOP"}
            {"timestamp": {"seconds": 17960606""");
        assertThat(QemuEventLog.lastStop(paths)).contains(ShutdownReason.REBOOT);
        Files.writeString(QemuEventLog.output(paths), """
            {"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}
            """);
        assertThat(QemuEventLog.lastStop(paths)).contains(ShutdownReason.POWEROFF);
    }

    private List<String> argv(java.util.function.Consumer<DomainConfigSpec> change) {
        DomainConfigSpec spec = Specs.minimal("vm1", 1, 128);
        change.accept(spec);
        return QemuCommandLine.render("qemu-system-x86_64", DefinitionFromSpec.inPlace("vm1", UUID.randomUUID(), spec), 3,
            new DomainPaths(dir), Accelerator.TCG, VifNetworking.USER).argv();
    }
}
