package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.hypervisor.Console;
import io.domainoperator.hypervisor.CpuMemory;
import io.domainoperator.hypervisor.DiskDevice;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.GuestType;
import io.domainoperator.hypervisor.KernelBoot;
import io.domainoperator.hypervisor.Lifecycle;
import io.domainoperator.hypervisor.NicDevice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders the xl config file for a domain in the form EVE's domainmgr writes. The definition's structure was
 * checked against the API (DomainConfigValidator) before it was built; every value is checked again before it is
 * written, and problems are reported with the spec field they came from: quoted strings are escaped by {@link XlSyntax}, and values that end up inside a device spec (where
 * commas and '=' cannot be escaped) must match the API's patterns. Problems are collected, not thrown one by one,
 * so the caller can report them all with their field paths.
 */
public final class XlConfigRenderer {
    private static final Pattern DOMAIN_NAME = Pattern.compile(Patterns.DOMAIN_NAME);
    private static final Pattern PCI = Pattern.compile(Patterns.PCI_ADDRESS);
    private static final Pattern IFNAME = Pattern.compile(Patterns.IFNAME);
    private static final Pattern MAC = Pattern.compile(Patterns.MAC);
    private static final Pattern TARGET = Pattern.compile(Patterns.DISK_TARGET);
    private static final Pattern LISTEN = Pattern.compile(Patterns.LISTEN_ADDRESS);
    private static final Pattern BOOT = Pattern.compile(Patterns.BOOT_ORDER);
    private static final Pattern PATH = Pattern.compile(Patterns.ABSOLUTE_PATH);
    private static final Pattern NIC_MODEL = Pattern.compile(Patterns.NIC_MODEL);

    /** Who the file is for. */
    public enum Mode {
        /**
         * The node agent's own file. Effective values are written out (maxmem, maxvcpus, serial, vnclisten), and
         * on_poweroff/on_reboot/on_crash are all {@code preserve}: the operator applies spec.onPoweroff/onReboot/
         * onCrash itself, so the guest's end must stay visible. With {@code destroy} the domain vanishes before
         * the next poll and a poweroff cannot be told from a crash; with {@code restart} xl's own daemon reboots it
         * behind the reconciler's back (new domid, no crash-loop back-off, no restartCount). A preserved domain
         * shows its shutdown reason in {@code xl list} until the reconciler destroys or restarts it.
         */
        OPERATOR,
        /**
         * A file for plain {@code xl create}, e.g. {@code export-xl}: the spec's own lifecycle policies, and what
         * the spec leaves unset is left out so that xl's default applies and import-then-export gives back the
         * DomainConfig it started from.
         */
        EXPORT
    }

    private XlConfigRenderer() {
    }

    /** The file's text; see {@link #render(DomainDefinition, Mode)}. */
    public static String renderText(DomainDefinition definition, Mode mode) {
        return XlSyntax.write(render(definition, mode));
    }

    /**
     * @throws XlRenderException listing every field that cannot be written, with the fix
     */
    public static XlConfig render(DomainDefinition definition, Mode mode) {
        List<FieldError> errors = new ArrayList<>();
        XlConfig.Builder out = XlConfig.builder();
        GuestType type = definition.machine().type();
        boolean hvm = type == GuestType.HVM;
        boolean operator = mode == Mode.OPERATOR;
        KernelBoot boot = definition.boot();
        Console console = definition.console();
        CpuMemory cpuMemory = definition.cpuMemory();

        if (!DOMAIN_NAME.matcher(definition.name()).matches()) {
            errors.add(new FieldError("spec.displayName", "'" + definition.name() + "' is not a usable xl domain name"));
        } else if (definition.name().chars().allMatch(Character::isDigit)) {
            errors.add(new FieldError("spec.displayName", "'" + definition.name()
                + "' is all digits: xl reads such a name as a domain id; add a letter"));
        }
        out.str("name", definition.name());
        out.str("type", type.name().toLowerCase(Locale.ROOT));
        if (operator || definition.uuidGiven()) {
            out.str("uuid", definition.uuid().toString());
        }
        if (boot.kernel() != null) {
            out.str("kernel", checked(errors, "spec.kernel", boot.kernel()));
        }
        if (boot.ramdisk() != null) {
            out.str("ramdisk", checked(errors, "spec.ramdisk", boot.ramdisk()));
        }
        if (boot.cmdline() != null) {
            out.str("extra", checked(errors, "spec.cmdline", boot.cmdline()));
        }
        boolean vnc = console.vncEnabled();
        out.num("vnc", vnc ? 1 : 0);
        Console.Vnc vncSection = console.vnc();
        String listen = operator && vnc || vncSection != null && vncSection.listenGiven() ? vncSection.listen() : null;
        if (listen != null) {
            if (!LISTEN.matcher(listen).matches()) {
                errors.add(new FieldError("spec.vnc.listen", "'" + listen + "' is not an address, e.g. 0.0.0.0"));
            }
            out.str("vnclisten", listen);
        }
        if (console.usbTablet()) {
            if (!hvm) {
                errors.add(new FieldError("spec.usbTablet", "only HVM guests have an emulated USB tablet; remove it or use virtualizationMode HVM"));
            }
            out.num("usb", 1);
            out.list("usbdevice", List.of("tablet"));
        }
        out.num("memory", cpuMemory.memory().mib());
        if (operator || cpuMemory.maxMemory() != null) {
            out.num("maxmem", cpuMemory.effectiveMaxMemory().mib());
        }
        out.num("vcpus", cpuMemory.vcpus());
        // xl reads "maxvcpus"; EVE's files say "maxcpus", which xl silently ignores.
        if (operator || cpuMemory.maxVcpus() != null) {
            out.num("maxvcpus", cpuMemory.effectiveMaxVcpus());
        }
        // xl reads serial for HVM guests only; an explicit value is still written back (xl ignores it otherwise)
        if (hvm && operator || console.serialGiven()) {
            out.str("serial", console.serial());
        }
        if (boot.bootOrder() != null) {
            if (!hvm) {
                errors.add(new FieldError("spec.bootOrder", "only HVM guests have a boot order; remove it for " + type + " guests"));
            } else if (!BOOT.matcher(boot.bootOrder()).matches()) {
                errors.add(new FieldError("spec.bootOrder", "'" + boot.bootOrder() + "' is not a boot order (letters c, d, n)"));
            }
            out.str("boot", boot.bootOrder());
        }
        List<String> disks = disks(definition, errors);
        if (!disks.isEmpty()) {
            out.list("disk", disks);
        }
        List<String> vifs = vifs(definition, errors);
        if (!vifs.isEmpty()) {
            out.list("vif", vifs);
        }
        List<String> pci = new ArrayList<>();
        for (int i = 0; i < definition.pciDevices().size(); i++) {
            var device = definition.pciDevices().get(i);
            String address = device.address();
            if (address == null || !PCI.matcher(address).matches()) {
                errors.add(new FieldError("pciAddresses[" + i + "]", "'" + address
                    + "' is not a long-form PCI address (lower-case DDDD:BB:DD.F, e.g. 0000:07:00.0)"));
            }
            // spec.xen.pciOptions of the adapter: the validator has checked that each option cannot leave its
            // parameter, and the xl backend's libxlutil check reads the entry back.
            List<String> options = definition.xen().pciOptionsOf(device.adapter());
            carriable(errors, "spec.xen.pciOptions of " + device.adapter(), options);
            pci.add(XlDeviceSpecs.pciSpec(address, options));
        }
        if (!pci.isEmpty()) {
            out.list("pci", pci);
        }
        XlHardwareRenderer.render(definition, hvm, out, errors);
        Lifecycle lifecycle = definition.lifecycle();
        policy(out, "on_poweroff", mode, lifecycle.onPoweroff());
        policy(out, "on_reboot", mode, lifecycle.onReboot());
        policy(out, "on_crash", mode, lifecycle.onCrash());
        if (!errors.isEmpty()) {
            throw new XlRenderException(errors);
        }
        return out.build();
    }

    private static void policy(XlConfig.Builder out, String key, Mode mode, Lifecycle.Action action) {
        if (mode == Mode.OPERATOR) {
            out.str(key, "preserve");
        } else if (action != null) {
            out.str(key, action.name().toLowerCase(Locale.ROOT));
        }
    }

    private static List<String> disks(DomainDefinition definition, List<FieldError> errors) {
        List<String> specs = new ArrayList<>();
        List<DiskDevice> disks = definition.disks();
        for (int i = 0; i < disks.size(); i++) {
            DiskDevice disk = disks.get(i);
            String path = disk.path();
            String field = "diskPaths[" + i + "]";
            boolean cdrom = disk.cdrom();
            DiskFormat format = DiskFormat.valueOf(disk.format().name());
            if (cdrom && (path == null || path.isEmpty())) {
                if (disk.target() != null && TARGET.matcher(disk.target()).matches()
                    && carriable(errors, "spec.disks[" + i + "].xenOptions", disk.xenOptions())) {
                    specs.add(XlDeviceSpecs.disk(new XlDeviceSpecs.DiskSpec(null, format, disk.target(), true, true,
                        disk.xenOptions())));
                }
                continue;
            }
            if (path == null || !path.startsWith("/")) {
                errors.add(new FieldError(field, "'" + path + "' must be an absolute path on the node"));
                continue;
            }
            if (!PATH.matcher(path).matches()) {
                // Found by fuzzing against libxlutil: even target= (read "to the end of the spec") drops a trailing
                // comma, so commas, quotes and blanks cannot be carried at all.
                errors.add(new FieldError(field, "'" + path + "' contains characters an xl disk spec cannot carry "
                    + "(commas, quotes, blanks, control characters); use letters, digits and . _ / + @ = -"));
                continue;
            }
            if (disk.target() == null || !TARGET.matcher(disk.target()).matches()) {
                errors.add(new FieldError("spec.disks[" + i + "].target", "'" + disk.target()
                    + "' is not a disk target like xvda, hda, sda or vda"));
                continue;
            }
            if (!carriable(errors, "spec.disks[" + i + "].xenOptions", disk.xenOptions())) {
                continue;
            }
            specs.add(XlDeviceSpecs.disk(new XlDeviceSpecs.DiskSpec(path, format, disk.target(),
                disk.readOnly() || cdrom, cdrom, disk.xenOptions())));
        }
        return specs;
    }

    private static List<String> vifs(DomainDefinition definition, List<FieldError> errors) {
        List<String> specs = new ArrayList<>();
        List<NicDevice> nics = definition.nics();
        for (int i = 0; i < nics.size(); i++) {
            NicDevice nic = nics.get(i);
            String field = "spec.vifs[" + i + "]";
            // a comma or '=' would split the spec
            if (nic.bridge() == null || !IFNAME.matcher(nic.bridge()).matches()) {
                errors.add(new FieldError(field + ".bridge", "'" + nic.bridge() + "' is not an interface name"));
            } else if (nic.vifName() != null && !IFNAME.matcher(nic.vifName()).matches()) {
                errors.add(new FieldError(field + ".vifName", "'" + nic.vifName() + "' is not an interface name of at most 15 characters"));
            } else if (nic.mac() != null && !MAC.matcher(nic.mac()).matches()) {
                errors.add(new FieldError(field + ".mac", "'" + nic.mac() + "' is not six hex octets separated by ':'"));
            } else if (nic.model() != null && !NIC_MODEL.matcher(nic.model()).matches()) {
                errors.add(new FieldError(field + ".model", "'" + nic.model() + "' is not a NIC model name, e.g. e1000"));
            } else if (carriable(errors, field + ".xenOptions", nic.xenOptions())) {
                String mac = nic.mac() != null ? nic.mac() : generatedMac(definition, i);
                specs.add(XlDeviceSpecs.vif(new XlDeviceSpecs.VifSpec(nic.bridge(), nic.vifName(), mac, nic.model(), nic.xenOptions())));
            }
        }
        return specs;
    }

    /**
     * A MAC in Xen's OUI (00:16:3e) derived from the uuid and the vif's index, so that a domain keeps its MACs
     * across restarts and re-renders (xl would pick a random one on every create, and DHCP leases would churn).
     */
    static String generatedMac(DomainDefinition definition, int index) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                .digest((definition.uuid() + "/" + index).getBytes(StandardCharsets.US_ASCII));
            return "00:16:3e:%02x:%02x:%02x".formatted(hash[0] & 0x7f, hash[1] & 0xff, hash[2] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Device options are pasted into a device spec, which has no escaping: each must not end its parameter. */
    private static boolean carriable(List<FieldError> errors, String field, List<String> options) {
        boolean all = true;
        for (int i = 0; i < options.size(); i++) {
            if (!XlDeviceSpecs.carriable(options.get(i))) {
                errors.add(new FieldError(field + "[" + i + "]", "'" + options.get(i) + "' is not an xl device parameter:"
                    + " key=value or a bare flag without commas, quotes or brackets, e.g. rate=10Mb/s"));
                all = false;
            }
        }
        return all;
    }

    private static String checked(List<FieldError> errors, String field, String value) {
        XlSyntax.unwritable(value).ifPresent(problem -> errors.add(new FieldError(field, problem)));
        return value;
    }
}
