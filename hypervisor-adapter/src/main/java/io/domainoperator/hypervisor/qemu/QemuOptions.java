package io.domainoperator.hypervisor.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the QEMU backend runs, bound once at start-up.
 *
 * @param stateDir        the agent's state directory; this backend keeps {@code <stateDir>/qemu/<name>/} per
 *                        domain (QMP socket, pidfile, console log, domain.json). It must outlive agent restarts
 *                        (e.g. /var/lib/domain-operator) and be short enough for a unix socket path.
 * @param qemuBinary      the emulator, a name looked up on PATH or an absolute path
 * @param accelerator     AUTO probes KVM once (by really running a tiny guest) and falls back to TCG
 * @param vifNetworking   how a vif reaches the network, see {@link VifNetworking}
 * @param launchTimeout   bound for starting QEMU (it returns once the daemonized child is ready)
 * @param qmpTimeout      bound for each QMP reply
 * @param quitGrace       how long destroy waits for QEMU to exit after {@code quit} before SIGKILL
 * @param procRoot        /proc (a temp tree in tests)
 * @param sysRoot         /sys, where bridges are looked up (a temp tree in tests)
 * @param consoleLogMaxBytes cap of one generation of a domain's serial log ({@link ConsoleLog})
 */
public record QemuOptions(Path stateDir, String qemuBinary, Accelerator accelerator, VifNetworking vifNetworking,
                          Duration launchTimeout, Duration qmpTimeout, Duration quitGrace, Path procRoot,
                          Path sysRoot, long consoleLogMaxBytes) {

    public enum Accelerator {
        /** KVM when a probe guest really runs under it, else TCG. */
        AUTO,
        KVM,
        /** Pure emulation: slow, but works everywhere (also inside VMs without nested virtualization). */
        TCG
    }

    /**
     * How a spec vif ({@code bridge}, {@code mac}, {@code vifName}) becomes a QEMU network device.
     * The guest always sees a virtio-net NIC with the vif's MAC.
     */
    public enum VifNetworking {
        /**
         * Production: a tap named {@code vifName} (or {@code qvif<id>.<n>}) created by QEMU and enslaved to
         * {@code bridge}. Needs root and an existing bridge; a missing bridge fails the create naming it.
         */
        BRIDGE,
        /** Tests and demos: QEMU's user-mode (slirp) network; {@code bridge} is ignored, no host setup needed. */
        USER
    }

    public QemuOptions {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(qemuBinary, "qemuBinary");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(vifNetworking, "vifNetworking");
        Objects.requireNonNull(launchTimeout, "launchTimeout");
        Objects.requireNonNull(qmpTimeout, "qmpTimeout");
        Objects.requireNonNull(quitGrace, "quitGrace");
        Objects.requireNonNull(procRoot, "procRoot");
        Objects.requireNonNull(sysRoot, "sysRoot");
        if (consoleLogMaxBytes < 1024) {
            throw new IllegalArgumentException("the console log cap must be at least 1024 bytes, is " + consoleLogMaxBytes);
        }
    }

    /** Options without a console log cap of their own get the default one. */
    public QemuOptions(Path stateDir, String qemuBinary, Accelerator accelerator, VifNetworking vifNetworking,
                       Duration launchTimeout, Duration qmpTimeout, Duration quitGrace, Path procRoot, Path sysRoot) {
        this(stateDir, qemuBinary, accelerator, vifNetworking, launchTimeout, qmpTimeout, quitGrace, procRoot, sysRoot,
            ConsoleLog.DEFAULT_MAX_BYTES);
    }

    /** Production defaults: qemu-system-x86_64 from PATH, KVM probed, vifs on bridges. */
    public static QemuOptions defaults(Path stateDir) {
        return new QemuOptions(stateDir, "qemu-system-x86_64", Accelerator.AUTO, VifNetworking.BRIDGE,
            Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10), Path.of("/proc"), Path.of("/sys"),
            ConsoleLog.DEFAULT_MAX_BYTES);
    }

    public QemuOptions withAccelerator(Accelerator value) {
        return new QemuOptions(stateDir, qemuBinary, value, vifNetworking, launchTimeout, qmpTimeout, quitGrace,
            procRoot, sysRoot, consoleLogMaxBytes);
    }

    public QemuOptions withVifNetworking(VifNetworking value) {
        return new QemuOptions(stateDir, qemuBinary, accelerator, value, launchTimeout, qmpTimeout, quitGrace,
            procRoot, sysRoot, consoleLogMaxBytes);
    }

    public QemuOptions withQemuBinary(String value) {
        return new QemuOptions(stateDir, value, accelerator, vifNetworking, launchTimeout, qmpTimeout, quitGrace,
            procRoot, sysRoot, consoleLogMaxBytes);
    }

    public QemuOptions withConsoleLogMaxBytes(long value) {
        return new QemuOptions(stateDir, qemuBinary, accelerator, vifNetworking, launchTimeout, qmpTimeout, quitGrace,
            procRoot, sysRoot, value);
    }

    /** Where the per-domain directories live. */
    public Path domainsDir() {
        return stateDir.resolve("qemu");
    }
}
