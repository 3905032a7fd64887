package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code domain-operator console} refusing, as a process: a domain the state directory does not know, one whose
 * QEMU is gone, a name that is no domain name, and {@code --kubectl} for a DomainConfig without a running domain.
 * Attaching to a real guest is {@code GuestConsoleIT}'s.
 */
class ConsoleProcessIT {
    private static final long TIMEOUT = 300;

    @TempDir
    Path tmp;

    private CliProcess console(String... args) {
        return CliProcess.jar(tmp, Map.of(), tmp.resolve("logs"), args);
    }

    @Test
    void refusalsNameTheDomainAndExitNonZero() throws IOException {
        Path state = Files.createDirectories(tmp.resolve("state/qemu/stopped"));
        Files.writeString(state.resolve("pid"), "999999\n");
        Files.createDirectories(tmp.resolve("state/qemu/other"));
        Path kubectl = tmp.resolve("kubectl");
        // A kubectl that finds the DomainConfig but no running domain in its status.
        Files.writeString(kubectl, "#!/bin/sh\nprintf '\\t'\n");
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));

        CliProcess unknown = console("console", "ghost", "--state-dir", tmp.resolve("state").toString(), "--hypervisor", "qemu");
        CliProcess stopped = console("console", "stopped", "--state-dir", tmp.resolve("state").toString());
        CliProcess badName = console("console", "../etc", "--state-dir", tmp.resolve("state").toString());
        CliProcess remote = console("console", "--kubectl", "--kubectl-command", kubectl.toString(), "-n", "default", "web");

        CliProcess.Result u = unknown.finish(TIMEOUT);
        assertThat(u.exit()).as("%s", u).isEqualTo(1);
        assertThat(u.stderr()).as("%s", u).contains("no domain ghost on this node").contains("domains here: other, stopped")
            .doesNotContain("\tat ");
        CliProcess.Result s = stopped.finish(TIMEOUT);
        assertThat(s.exit()).as("%s", s).isEqualTo(1);
        assertThat(s.stderr()).as("%s", s).contains("domain stopped is not running (its QEMU pid 999999 is gone)");
        CliProcess.Result b = badName.finish(TIMEOUT);
        assertThat(b.exit()).as("%s", b).isEqualTo(2);
        assertThat(b.stderr()).as("%s", b).contains("'../etc' is not a domain name");
        CliProcess.Result r = remote.finish(TIMEOUT);
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.stderr()).as("%s", r).contains("DomainConfig web has no running domain");
    }
}
