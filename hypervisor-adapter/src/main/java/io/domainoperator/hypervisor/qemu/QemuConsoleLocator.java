package io.domainoperator.hypervisor.qemu;

import io.domainoperator.api.v1alpha1.Patterns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a QEMU domain's serial console socket from the state directory alone, for {@code domain-operator console}
 * on the node: no agent, no QMP, so it works while the agent is down and never competes with it. Each refusal says
 * which domain and why.
 */
public final class QemuConsoleLocator {
    private final Path domainsDir;
    private final ProcFs proc;

    /** @param stateDir the agent's --state-dir (its {@code qemu/} folder holds one directory per domain) */
    public QemuConsoleLocator(Path stateDir) {
        this(stateDir, Path.of("/proc"));
    }

    QemuConsoleLocator(Path stateDir, Path procRoot) {
        this.domainsDir = stateDir.resolve("qemu");
        this.proc = new ProcFs(procRoot);
    }

    /** Whether this state directory has a QEMU domain of that name (running or not). */
    public boolean knows(String name) {
        return name.matches(Patterns.DOMAIN_NAME) && Files.isDirectory(domainsDir.resolve(name));
    }

    /**
     * The console socket of a running domain.
     *
     * @throws IllegalStateException naming the domain: unknown here, not running, or without a serial console
     */
    public Path socketOf(String name) {
        if (!knows(name)) {
            throw new IllegalStateException("no domain " + name + " on this node: " + domainsDir + " has no directory for it"
                + known().map(k -> " (domains here: " + k + ")").orElse(" (no QEMU domains here)")
                + "; give the domain's name on the hypervisor (status.domainName), and the agent's --state-dir");
        }
        DomainPaths paths = new DomainPaths(domainsDir.resolve(name));
        Optional<Long> pid = paths.readPid();
        if (pid.isEmpty() || !QemuDomain.isOurQemu(proc, pid.get(), paths)) {
            throw new IllegalStateException("domain " + name + " is not running (its QEMU"
                + pid.map(p -> " pid " + p).orElse("") + " is gone); its last console output is in " + paths.consoleLog());
        }
        if (!Files.exists(paths.consoleSocket())) {
            throw new IllegalStateException("domain " + name + " has no serial console socket (spec.serial is none, or an"
                + " older agent started it with a pty); its console output is in " + paths.consoleLog());
        }
        return paths.consoleSocket();
    }

    private Optional<String> known() {
        try (Stream<Path> dirs = Files.list(domainsDir)) {
            List<String> names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", names));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
