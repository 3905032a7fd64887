package io.domainoperator.device;

import io.domainoperator.hypervisor.CommandRunner;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The kernel the device plugin acts on: its sysfs and the commands that load and remove modules ({@code modprobe},
 * {@code rmmod}). On a node: {@link RootedSysfs} below {@code --sysfs-root} and real processes.
 */
public record HostKernel(Sysfs sysfs, CommandRunner modules) {
    public HostKernel {
        Objects.requireNonNull(sysfs, "sysfs");
        Objects.requireNonNull(modules, "modules");
    }

    /** The real kernel: sysfs files below {@code root}, module commands run by {@code runner}. */
    public static HostKernel real(Path root, CommandRunner runner) {
        return new HostKernel(new RootedSysfs(root), runner);
    }
}
