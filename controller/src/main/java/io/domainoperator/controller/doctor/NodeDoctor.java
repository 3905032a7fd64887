package io.domainoperator.controller.doctor;

import io.domainoperator.hypervisor.HostProbe;
import io.domainoperator.hypervisor.HypervisorFactory;
import io.domainoperator.hypervisor.qemu.AcceleratorProbe;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Checks the host against {@link NodeRequirements}: the backend's tools and kernel parts, the bridges, IOMMU when
 * passthrough is asked for, the state directory and the disk space under the image root. Every path comes from the
 * {@link HostProbe}'s root or the sysfs root passed in, so tests build a host in a temp directory.
 */
public final class NodeDoctor {
    /** Below this, a disk copy of a typical guest image does not fit. */
    static final long FAIL_FREE_BYTES = 1L << 30;
    static final long WARN_FREE_BYTES = 10L << 30;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final String QEMU = "qemu-system-x86_64";
    private static final String STATE_DIR = "state dir ";
    private static final String FREE_DISK = "free disk ";

    /** Tries KVM with this QEMU; the agent passes null and lets the backend probe on first use. */
    @FunctionalInterface
    public interface KvmProbe {
        AcceleratorProbe.Verdict probe(Path qemuBinary);
    }

    private final HostProbe host;
    private final Path sysfs;
    private final KvmProbe kvm;
    private final String user;

    public NodeDoctor(HostProbe host, Path sysfsRoot, KvmProbe kvm, String user) {
        this.host = host;
        this.sysfs = sysfsRoot;
        this.kvm = kvm;
        this.user = user;
    }

    /** Every check for what is asked, in the order a reader fixes them: backend, network, devices, storage. */
    public List<HostCheck> check(NodeRequirements asked) {
        List<HostCheck> checks = new ArrayList<>();
        Optional<String> backend = backend(asked.hypervisor(), checks);
        backend.ifPresent(b -> {
            switch (b) {
                case HypervisorFactory.XL -> checks.addAll(xen(asked.passthrough()));
                case HypervisorFactory.QEMU -> checks.addAll(qemu(asked.passthrough()));
                default -> { } // the simulator needs nothing from the host
            }
        });
        if (backend.isEmpty() || !HypervisorFactory.SIM.equals(backend.get())) {
            asked.bridges().forEach(br -> checks.add(bridge(br)));
            if (asked.passthrough()) {
                checks.add(iommu());
            }
        }
        checks.add(stateDir(asked.stateDir()));
        checks.add(freeDisk(asked.imageRoot()));
        return checks;
    }

    /**
     * Whether a failed check keeps the agent from running what it is asked to. Storage problems do not: a state
     * directory others can read is a hardening problem, and a full disk fails only the creates that need a copy;
     * both are reported (log, /readyz) and the loop runs.
     */
    public static boolean blocksAgent(HostCheck check) {
        return check.failed() && !check.name().startsWith(STATE_DIR) && !check.name().startsWith(FREE_DISK);
    }

    /** The checks the agent runs at start: its backend and, with --device-passthrough, IOMMU; no KVM trial run. */
    public static NodeRequirements agentStart(String hypervisor, boolean passthrough, Path stateDir, Path imageRoot) {
        return NodeRequirements.of(hypervisor, Set.of(), passthrough, stateDir, imageRoot);
    }

    private Optional<String> backend(String requested, List<HostCheck> checks) {
        Supplier<io.domainoperator.hypervisor.Hypervisor> none = () -> null;
        HypervisorFactory factory = new HypervisorFactory(Map.of(HypervisorFactory.XL, none, HypervisorFactory.QEMU, none,
            HypervisorFactory.SIM, none), host);
        if (requested != null && !HypervisorFactory.KNOWN.contains(requested.strip())) {
            throw new IllegalArgumentException("--hypervisor " + requested + " is not a backend; use one of "
                + String.join(", ", HypervisorFactory.KNOWN));
        }
        try {
            HypervisorFactory.Selection selection = factory.select(Optional.ofNullable(requested));
            checks.add(HostCheck.ok("backend", selection.backend() + " (" + selection.reason() + ")"));
            return Optional.of(selection.backend());
        } catch (IllegalArgumentException e) {
            checks.add(HostCheck.fail("backend", e.getMessage()));
            return Optional.empty();
        }
    }

    private List<HostCheck> xen(boolean passthrough) {
        List<HostCheck> checks = new ArrayList<>();
        Path procXen = host.root().resolve("proc/xen");
        checks.add(host.xenPresent() ? HostCheck.ok("xen hypervisor", procXen + " exists")
            : HostCheck.fail("xen hypervisor", procXen + " does not exist: this system did not boot on Xen as dom0."
                + " Boot the Xen entry of the boot loader (Debian: xen-system-amd64), or use --hypervisor qemu"));
        checks.add(host.findExecutable("xl").map(p -> HostCheck.ok("xl command", p.toString()))
            .orElseGet(() -> HostCheck.fail("xl command", "`xl` is not on PATH: install Xen's tools (Debian: xen-utils)"
                + " or add their directory to PATH")));
        checks.add(processRunning("xenstored", "oxenstored") ? HostCheck.ok("xenstored", "running")
            : HostCheck.fail("xenstored", "no xenstored or oxenstored process: start it (systemctl start xenstored,"
                + " or the xencommons init script)"));
        if (passthrough) {
            Path pciback = sysfs.resolve("bus/pci/drivers/pciback");
            checks.add(Files.isDirectory(pciback) ? HostCheck.ok("pciback driver", pciback + " exists")
                : HostCheck.fail("pciback driver", pciback + " does not exist: load it (modprobe xen-pciback) for passthrough"));
        }
        return checks;
    }

    private List<HostCheck> qemu(boolean passthrough) {
        List<HostCheck> checks = new ArrayList<>();
        Optional<Path> qemu = host.findExecutable(QEMU);
        checks.add(qemu.map(p -> HostCheck.ok("qemu binary", p.toString()))
            .orElseGet(() -> HostCheck.fail("qemu binary", QEMU + " is not on PATH " + host.path()
                + ": install it (Debian: qemu-system-x86) or add its directory to PATH")));
        checks.add(kvm(qemu));
        if (passthrough) {
            Path vfio = sysfs.resolve("bus/pci/drivers/vfio-pci");
            checks.add(Files.isDirectory(vfio) ? HostCheck.ok("vfio-pci driver", vfio + " exists")
                : HostCheck.fail("vfio-pci driver", vfio + " does not exist: load it (modprobe vfio-pci) for passthrough"));
        }
        return checks;
    }

    private HostCheck kvm(Optional<Path> qemu) {
        Path devKvm = host.root().resolve("dev/kvm");
        String tcg = ": guests run under TCG (emulation, many times slower). ";
        if (!Files.exists(devKvm)) {
            return HostCheck.warn("kvm", devKvm + " does not exist" + tcg
                + "Enable virtualisation in the firmware and load kvm_intel or kvm_amd");
        }
        if (kvm == null) {
            return HostCheck.ok("kvm", devKvm + " exists; the QEMU backend tries a guest under KVM on first use"
                + " and logs 'accelerator: ...'; `domain-operator doctor` runs that try now");
        }
        if (qemu.isEmpty()) {
            return HostCheck.warn("kvm", devKvm + " exists, but without QEMU nobody can try whether KVM works");
        }
        AcceleratorProbe.Verdict verdict = kvm.probe(qemu.get());
        return verdict.accelerator() == Accelerator.KVM ? HostCheck.ok("kvm", verdict.reason())
            : HostCheck.warn("kvm", "KVM does not work here (" + verdict.reason() + ")" + tcg
                + "On a VM, enable nested virtualisation; check dmesg for kvm errors");
    }

    private HostCheck bridge(String name) {
        Path bridge = sysfs.resolve("class/net").resolve(name).resolve("bridge");
        if (Files.isDirectory(bridge)) {
            return HostCheck.ok("bridge " + name, "present");
        }
        String why = Files.exists(sysfs.resolve("class/net").resolve(name)) ? name + " exists but is not a bridge"
            : "no interface " + name;
        return HostCheck.fail("bridge " + name, why + " (a domain's vif names it): create it (ip link add " + name
            + " type bridge; ip link set " + name + " up) or change the vif's bridge");
    }

    private HostCheck iommu() {
        Path groups = sysfs.resolve("kernel/iommu_groups");
        boolean on;
        try (Stream<Path> entries = Files.isDirectory(groups) ? Files.list(groups) : Stream.empty()) {
            on = entries.findAny().isPresent();
        } catch (IOException e) {
            on = false;
        }
        return on ? HostCheck.ok("iommu", groups + " has groups")
            : HostCheck.fail("iommu", groups + " is empty: the IOMMU is off, so no device can be passed through."
                + " Enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on (or amd_iommu=on)");
    }

    private HostCheck stateDir(Path dir) {
        String name = STATE_DIR + dir;
        if (!Files.exists(dir)) {
            return HostCheck.warn(name, "does not exist yet: create it for this user with mode 0700 (install -d -m 0700 " + dir + ")");
        }
        try {
            String owner = Files.getOwner(dir).getName();
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            List<String> problems = new ArrayList<>();
            if (!owner.equals(user)) {
                problems.add("owned by " + owner + ", not " + user + " (chown " + user + " " + dir + ")");
            }
            if (!mode.equals(OWNER_ONLY)) {
                problems.add("mode " + PosixFilePermissions.toString(mode) + ", not rwx------: journals and runtime"
                    + " state must not be readable by other users (chmod 0700 " + dir + ")");
            }
            return problems.isEmpty() ? HostCheck.ok(name, "owner " + owner + ", mode 0700")
                : HostCheck.fail(name, String.join("; ", problems));
        } catch (IOException | UnsupportedOperationException e) {
            return HostCheck.fail(name, "cannot read owner and mode: " + e.getMessage());
        }
    }

    private HostCheck freeDisk(Path imageRoot) {
        Path existing = imageRoot.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String name = FREE_DISK + imageRoot;
        try {
            long free = Files.getFileStore(existing).getUsableSpace();
            String figure = String.format("%.1f GiB free on %s", free / (double) (1L << 30), existing);
            if (free < FAIL_FREE_BYTES) {
                return HostCheck.fail(name, figure + ": a domain's disk copy will not fit; free space or move --image-root");
            }
            return free < WARN_FREE_BYTES ? HostCheck.warn(name, figure + ": room for few disk copies") : HostCheck.ok(name, figure);
        } catch (IOException | NullPointerException e) {
            return HostCheck.fail(name, "cannot read the free space: " + e.getMessage());
        }
    }

    private boolean processRunning(String... names) {
        Set<String> wanted = Set.of(names);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(host.root().resolve("proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    if (wanted.contains(Files.readString(proc.resolve("comm")).strip())) {
                        return true;
                    }
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
