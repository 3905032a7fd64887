package io.domainoperator.hypervisor.qemu;

import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.hypervisor.Console;
import io.domainoperator.hypervisor.CpuMemory;
import io.domainoperator.hypervisor.DiskDevice;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.GuestType;
import io.domainoperator.hypervisor.KernelBoot;
import io.domainoperator.hypervisor.NicDevice;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import io.domainoperator.hypervisor.qemu.QemuOptions.VifNetworking;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Renders a {@link DomainDefinition} as a {@code qemu-system-x86_64} command line. Pure, so every mapping is
 * unit-tested; what cannot be mapped is rejected with {@link IllegalArgumentException} naming the spec field.
 *
 * <p>The mapping, on the {@code pc} machine with {@code -nodefaults} (the guest gets only what the spec asks):
 * <ul>
 * <li>vcpus/maxVcpus: {@code -smp cpus=,maxcpus=} (CPUs up to the maximum are hotplugged live);
 *     memoryMiB/maxMemoryMiB: {@code -m size=<max>} plus a virtio balloon when the maximum is larger, inflated to
 *     memoryMiB before the guest runs and moved live with QMP {@code balloon}.</li>
 * <li>disks by target prefix: {@code hdX} on the IDE buses (hda..hdd; read-only ones as CD-ROMs, since IDE disks
 *     cannot be read-only), {@code sdX} as SCSI disks on one virtio-scsi controller (scsi-id from the letters),
 *     {@code vdX} and {@code xvdX} as virtio-blk; format qcow2/raw, {@code readonly=on} when asked.</li>
 * <li>vifs: virtio-net with the vif's MAC (derived from the uuid when absent), backed by a tap on the bridge or
 *     by user networking, see {@link VifNetworking}.</li>
 * <li>kernel/ramdisk/cmdline: direct boot; PV and PVH (Xen notions) need a kernel and boot it the same way.</li>
 * <li>vnc: a VGA card and {@code -vnc <listen>:<domainId>} (port 5900 + domain id); usbTablet: a USB tablet.</li>
 * <li>serial pty: a serial port on a unix socket server (console.sock) whose output is also logged to
 *     console.log; none: no serial port.</li>
 * <li>readinessProbe.guestAgent: the guest agent's virtio-serial channel, see {@link GuestAgentChannel}.</li>
 * <li>pciAddresses: {@code -device vfio-pci,host=}.</li>
 * <li>lifecycle: {@code -action reboot=reset|shutdown,shutdown=pause,panic=pause} ({@link GuestStopActions}): a
 *     reboot with onReboot Restart is QEMU's own reset; any other stop never ends the process, so the reconciler
 *     sees a stopped domain with its reason and applies onPoweroff/onReboot/onCrash.</li>
 * </ul>
 */
final class QemuCommandLine {
    private QemuCommandLine() {
    }

    /** A tap QEMU creates for a vif, to be enslaved to its bridge once QEMU runs. */
    record TapAttachment(String tap, String bridge) {
    }

    /** The command line and the host-side work it leaves to do. */
    record Launch(List<String> argv, List<TapAttachment> taps, List<String> unapplied) {
        Launch(List<String> argv, List<TapAttachment> taps) {
            this(argv, taps, List.of());
        }

        Launch {
            argv = List.copyOf(argv);
            taps = List.copyOf(taps);
            unapplied = List.copyOf(unapplied);
        }
    }

    /**
     * @param accelerator KVM or TCG (AUTO must be resolved before)
     */
    static Launch render(String qemuBinary, DomainDefinition definition, int domainId, DomainPaths paths,
                         Accelerator accelerator, VifNetworking networking) {
        List<String> a = new ArrayList<>();
        List<TapAttachment> taps = new ArrayList<>();
        a.add(qemuBinary);
        a.addAll(List.of("-name", "guest=" + opt(definition.name()) + ",debug-threads=on"));
        a.addAll(List.of("-uuid", definition.uuid().toString()));
        // ACPI off: -no-acpi is deprecated in favour of the machine property
        a.addAll(List.of("-machine", Boolean.FALSE.equals(definition.machine().acpi()) ? "pc,acpi=off" : "pc"));
        if (Boolean.TRUE.equals(definition.machine().localtime())) {
            a.addAll(List.of("-rtc", "base=localtime"));
        }
        switch (accelerator) {
            case KVM -> a.addAll(List.of("-accel", "kvm", "-cpu", "host"));
            // TCG's translation cache is bounded: by default QEMU 7.2 reserves up to 1 GiB for it and asks for huge
            // pages, and with transparent huge pages on madvise a guest's second boot grew QEMU past its cgroup
            // memory limit (rss 401 MB, 375 MB of it huge pages, for a 128 MiB guest), and the kernel killed it
            // (QemuRebootWhileAgentDownIT). QemuMemoryLimit's overhead holds this cache.
            case TCG -> a.addAll(List.of("-accel", "tcg,tb-size=" + QemuMemoryLimit.TCG_TRANSLATION_CACHE_MIB));
            case AUTO -> throw new IllegalStateException("the accelerator must be resolved before rendering");
        }
        a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none"));
        // Paused until the reconciler unpauses; detached so the domain outlives the agent.
        a.addAll(List.of("-S", "-daemonize", "-pidfile", paths.pidFile().toString()));
        a.addAll(List.of("-qmp", "unix:" + opt(paths.qmpSocket().toString()) + ",server=on,wait=off"));
        a.addAll(List.of("-action", GuestStopActions.actions(definition.lifecycle())));
        if (GuestStopActions.needsEventLog(definition.lifecycle())) {
            a.addAll(QemuEventLog.args(paths));
        }
        a.addAll(List.of("-device", "pvpanic"));
        cpusAndMemory(definition.cpuMemory(), a);
        boot(definition.boot(), definition.machine().type(), a);
        disks(definition, a);
        vifs(definition, domainId, networking, a, taps);
        console(definition.console(), domainId, paths, a);
        if (definition.console().guestAgentChannel()) {
            a.addAll(GuestAgentChannel.argv(paths));
        }
        for (int i = 0; i < definition.pciAddresses().size(); i++) {
            String address = definition.pciAddresses().get(i);
            if (address == null || !address.matches(Patterns.PCI_ADDRESS)) {
                throw new IllegalArgumentException("pciAddresses[" + i + "] '" + address
                    + "' is not a long-form PCI address like 0000:03:00.0");
            }
            a.addAll(List.of("-device", "vfio-pci,host=" + address));
        }
        return new Launch(a, taps, QemuUnapplied.of(definition));
    }

    private static void cpusAndMemory(CpuMemory cpuMemory, List<String> a) {
        int vcpus = cpuMemory.vcpus();
        int maxVcpus = cpuMemory.effectiveMaxVcpus();
        if (maxVcpus < vcpus) {
            throw new IllegalArgumentException("spec.maxVcpus " + maxVcpus + " is below spec.vcpus " + vcpus);
        }
        a.addAll(List.of("-smp", "cpus=" + vcpus + ",maxcpus=" + maxVcpus));
        long memory = cpuMemory.memory().mib();
        long maxMemory = cpuMemory.effectiveMaxMemory().mib();
        if (maxMemory < memory) {
            throw new IllegalArgumentException("spec.maxMemoryMiB " + maxMemory + " is below spec.memoryMiB " + memory);
        }
        // The guest gets maxMemoryMiB of RAM and a balloon that the backend inflates down to memoryMiB before the
        // first unpause (QemuLiveResize): growing live is then deflating the balloon, which every virtio guest can
        // do, where DIMM hotplug needs the guest to online memory blocks.
        a.addAll(List.of("-m", "size=" + maxMemory + "M"));
        if (maxMemory > memory) {
            a.addAll(List.of("-device", QemuLiveResize.BALLOON_DEVICE));
        }
    }

    private static void boot(KernelBoot boot, GuestType type, List<String> a) {
        if (boot.kernel() != null) {
            a.addAll(List.of("-kernel", boot.kernel()));
            if (boot.ramdisk() != null) {
                a.addAll(List.of("-initrd", boot.ramdisk()));
            }
            if (boot.cmdline() != null) {
                a.addAll(List.of("-append", boot.cmdline()));
            }
            return;
        }
        if (type != GuestType.HVM) {
            throw new IllegalArgumentException("spec.kernel is required: a " + type
                + " guest is booted directly from its kernel; set spec.kernel or use virtualizationMode HVM");
        }
        if (boot.ramdisk() != null || boot.cmdline() != null) {
            throw new IllegalArgumentException("spec.ramdisk and spec.cmdline need spec.kernel (direct kernel boot)");
        }
        if (boot.bootOrder() != null) {
            a.addAll(List.of("-boot", "order=" + boot.bootOrder()));
        }
    }

    private static void disks(DomainDefinition definition, List<String> a) {
        List<DiskDevice> disks = definition.disks();
        boolean scsiController = false;
        for (int i = 0; i < disks.size(); i++) {
            DiskDevice disk = disks.get(i);
            String field = "spec.disks[" + i + "]";
            String target = disk.target();
            if (target == null || !target.matches(Patterns.DISK_TARGET)) {
                throw new IllegalArgumentException(field + ".target '" + target + "' must be hdX, sdX, vdX or xvdX");
            }
            String path = disk.path();
            String id = "disk" + i;
            if (disk.cdrom()) {
                cdrom(disk, field, path, id, a);
                continue;
            }
            // Absolute and free of control characters: "file=" would take "nbd:..." or "json:{...}" as a protocol.
            if (path == null || !path.startsWith("/") || path.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(field + ": the disk path '" + path + "' resolved for target "
                    + target + " must be an absolute file path");
            }
            a.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + opt(path) + ",format="
                + disk.format().name() + (disk.readOnly() ? ",readonly=on" : "")));
            String letters = target.substring(target.startsWith("xvd") ? 3 : 2);
            int index = letterIndex(letters);
            if (target.startsWith("hd")) {
                if (index > 3) {
                    throw new IllegalArgumentException(field + ".target " + target
                        + ": the pc machine has four IDE slots (hda to hdd); use vdX or sdX for more disks");
                }
                a.addAll(List.of("-device", (disk.readOnly() ? "ide-cd" : "ide-hd") + ",drive=" + id
                    + ",bus=ide." + index / 2 + ",unit=" + index % 2));
            } else if (target.startsWith("sd")) {
                if (!scsiController) {
                    a.addAll(List.of("-device", "virtio-scsi-pci,id=scsi0"));
                    scsiController = true;
                }
                if (index > 255) {
                    throw new IllegalArgumentException(field + ".target " + target + ": at most 256 SCSI disks");
                }
                a.addAll(List.of("-device", "scsi-hd,drive=" + id + ",bus=scsi0.0,channel=0,scsi-id=" + index + ",lun=0"));
            } else {
                a.addAll(List.of("-device", "virtio-blk-pci,drive=" + id));
            }
        }
    }

    /** A CD-ROM drive, empty when it has no image: IDE for hdX, SCSI for sdX (virtio-blk has no CD-ROM). */
    private static void cdrom(DiskDevice disk, String field, String path, String id, List<String> a) {
        String target = disk.target();
        if (path != null && !path.isEmpty() && (!path.startsWith("/") || path.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(field + ": the CD-ROM image '" + path + "' must be an absolute file path");
        }
        String file = path == null || path.isEmpty() ? "" : ",file=" + opt(path) + ",format=" + disk.format().name();
        a.addAll(List.of("-drive", "if=none,id=" + id + ",media=cdrom,readonly=on" + file));
        int index = letterIndex(target.substring(2));
        if (target.startsWith("hd") && index <= 3) {
            a.addAll(List.of("-device", "ide-cd,drive=" + id + ",bus=ide." + index / 2 + ",unit=" + index % 2));
        } else {
            throw new IllegalArgumentException(field + ".target " + target + ": QEMU attaches CD-ROMs as hda to hdd; use one of those");
        }
    }

    /** a=0 ... z=25, aa=26 ... zz=701, as Linux names disks. */
    static int letterIndex(String letters) {
        int index = 0;
        for (char c : letters.toCharArray()) {
            index = index * 26 + (c - 'a' + 1);
        }
        return index - 1;
    }

    private static void vifs(DomainDefinition definition, int domainId, VifNetworking networking, List<String> a,
                             List<TapAttachment> taps) {
        List<NicDevice> nics = definition.nics();
        for (int i = 0; i < nics.size(); i++) {
            NicDevice nic = nics.get(i);
            String field = "spec.vifs[" + i + "]";
            String mac = nic.mac() == null ? derivedMac(definition.uuid(), i) : nic.mac().toLowerCase(Locale.ROOT);
            if (!mac.matches(Patterns.MAC)) {
                throw new IllegalArgumentException(field + ".mac '" + nic.mac() + "' is not like 52:54:00:12:34:56");
            }
            String netdev = "net" + i;
            switch (networking) {
                case USER -> a.addAll(List.of("-netdev", "user,id=" + netdev));
                case BRIDGE -> {
                    if (nic.bridge() == null || !nic.bridge().matches(Patterns.IFNAME)) {
                        throw new IllegalArgumentException(field + ".bridge '" + nic.bridge()
                            + "' is not an interface name");
                    }
                    String tap = nic.vifName() != null ? nic.vifName() : "qvif" + domainId + "." + i;
                    if (!tap.matches(Patterns.IFNAME)) {
                        throw new IllegalArgumentException(field + ".vifName '" + tap
                            + "' is not an interface name of at most 15 characters");
                    }
                    a.addAll(List.of("-netdev", "tap,id=" + netdev + ",ifname=" + tap + ",script=no,downscript=no"));
                    taps.add(new TapAttachment(tap, nic.bridge()));
                }
            }
            a.addAll(List.of("-device", nicDevice(nic.model(), field) + ",netdev=" + netdev + ",mac=" + mac));
        }
    }

    /** xl's NIC model names as QEMU devices; virtio-net-pci when none is given. */
    static String nicDevice(String model, String field) {
        if (model == null) {
            return "virtio-net-pci";
        }
        if (!model.matches(Patterns.NIC_MODEL)) {
            throw new IllegalArgumentException(field + ".model '" + model + "' is not a NIC model name");
        }
        return switch (model) {
            case "virtio", "virtio-net" -> "virtio-net-pci";
            case "ne2k", "ne2k-pci" -> "ne2k_pci";
            default -> model; // e1000, rtl8139, pcnet, e1000e, vmxnet3: QEMU's device names
        };
    }

    /** QEMU's locally administered prefix 52:54:00, then three bytes from the uuid, the last one plus the index. */
    static String derivedMac(UUID uuid, int index) {
        long bits = uuid.getLeastSignificantBits();
        return String.format(Locale.ROOT, "52:54:00:%02x:%02x:%02x", (bits >>> 16) & 0xff, (bits >>> 8) & 0xff,
            (bits + index) & 0xff);
    }

    private static void console(Console console, int domainId, DomainPaths paths, List<String> a) {
        Console.Vnc vnc = console.vnc();
        boolean vncOn = console.vncEnabled();
        Console.GraphicsCard vga = console.vga() != null ? console.vga() : vncOn ? Console.GraphicsCard.std : null;
        if (vga != null && vga != Console.GraphicsCard.none) {
            a.addAll(List.of("-device", switch (vga) {
                case std -> "VGA";
                case cirrus -> "cirrus-vga";
                case qxl -> "qxl-vga";
                case none -> throw new IllegalStateException();
            }));
        }
        if (vncOn) {
            String listen = vnc.listen();
            if (!listen.matches(Patterns.LISTEN_ADDRESS)) {
                throw new IllegalArgumentException("spec.vnc.listen '" + listen + "' is not an address");
            }
            String host = listen.contains(":") ? "[" + listen + "]" : listen;
            a.addAll(List.of("-vnc", host + ":" + (vnc.display() != null ? vnc.display() : domainId)));
            if (vnc.keymap() != null) {
                if (!vnc.keymap().matches(Patterns.KEYMAP)) {
                    throw new IllegalArgumentException("spec.vnc.keymap '" + vnc.keymap() + "' is not a keymap name");
                }
                a.addAll(List.of("-k", vnc.keymap()));
            }
        }
        if (console.usbTablet()) {
            a.addAll(List.of("-usb", "-device", "usb-tablet"));
        }
        if ("pty".equals(console.serial())) {
            // A unix socket rather than a pty: its path is known before QEMU starts (a pty's is not), it lives in
            // the domain's directory with its access rights, and `domain-operator console` connects to it. QEMU
            // also logs everything the guest prints (with or without a client) to console.log, which the
            // backend keeps bounded (ConsoleLog).
            a.addAll(List.of("-chardev", "socket,id=serial0,path=" + opt(paths.consoleSocket().toString())
                    + ",server=on,wait=off,logfile=" + opt(paths.consoleLog().toString()) + ",logappend=on",
                "-serial", "chardev:serial0"));
        }
    }

    /** QEMU option values escape a comma by doubling it. */
    static String opt(String value) {
        return value.replace(",", ",,");
    }
}
