package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.hypervisor.DomainDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders the xl config file for a domain in the form EVE's domainmgr writes. Every value is checked before it
 * is written: quoted strings are escaped by {@link XlSyntax}, and values that end up inside a device spec (where
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

    /**
     * spec.xen.pciOptions of the i-th adapter (pciAddresses follow spec.adapters). The validator has checked
     * that each option cannot leave its parameter, and the xl backend's libxlutil check reads the entry back.
     */
    private static List<String> pciOptions(DomainConfigSpec spec, int i) {
        if (spec.getXen() == null || i >= spec.getAdapters().size()) {
            return List.of();
        }
        String adapter = spec.getAdapters().get(i);
        return spec.getXen().getPciOptions().stream()
            .filter(p -> p != null && adapter != null && adapter.equals(p.getAdapter()))
            .findFirst().map(p -> p.getOptions()).orElse(List.of());
    }

    /** The file's text; see {@link #render(DomainDefinition, Mode)}. */
    public static String renderText(DomainDefinition definition, Mode mode) {
        return XlSyntax.write(render(definition, mode));
    }

    /**
     * @throws XlRenderException listing every field that cannot be written, with the fix
     */
    public static XlConfig render(DomainDefinition definition, Mode mode) {
        DomainConfigSpec spec = definition.spec();
        List<FieldError> errors = new ArrayList<>(DomainConfigValidator.validate(spec));
        XlConfig.Builder out = XlConfig.builder();
        VirtualizationMode type = spec.modeOrDefault();
        boolean hvm = type == VirtualizationMode.HVM;
        boolean operator = mode == Mode.OPERATOR;

        if (!DOMAIN_NAME.matcher(definition.name()).matches()) {
            errors.add(new FieldError("spec.displayName", "'" + definition.name() + "' is not a usable xl domain name"));
        } else if (definition.name().chars().allMatch(Character::isDigit)) {
            errors.add(new FieldError("spec.displayName", "'" + definition.name()
                + "' is all digits: xl reads such a name as a domain id; add a letter"));
        }
        out.str("name", definition.name());
        out.str("type", type.xlType());
        if (operator || spec.getUuid() != null) {
            out.str("uuid", definition.uuid().toString());
        }
        if (spec.getKernel() != null) {
            out.str("kernel", checked(errors, "spec.kernel", spec.getKernel()));
        }
        if (spec.getRamdisk() != null) {
            out.str("ramdisk", checked(errors, "spec.ramdisk", spec.getRamdisk()));
        }
        if (spec.getCmdline() != null) {
            out.str("extra", checked(errors, "spec.cmdline", spec.getCmdline()));
        }
        boolean vnc = spec.getVnc() != null && spec.getVnc().enabledOrDefault();
        out.num("vnc", vnc ? 1 : 0);
        String listen = operator && vnc ? spec.getVnc().listenOrDefault() : spec.getVnc() == null ? null : spec.getVnc().getListen();
        if (listen != null) {
            if (!LISTEN.matcher(listen).matches()) {
                errors.add(new FieldError("spec.vnc.listen", "'" + listen + "' is not an address, e.g. 0.0.0.0"));
            }
            out.str("vnclisten", listen);
        }
        if (spec.usbTabletOrDefault()) {
            if (!hvm) {
                errors.add(new FieldError("spec.usbTablet", "only HVM guests have an emulated USB tablet; remove it or use virtualizationMode HVM"));
            }
            out.num("usb", 1);
            out.list("usbdevice", List.of("tablet"));
        }
        if (spec.getMemoryMiB() != null) {
            out.num("memory", spec.getMemoryMiB());
            if (operator || spec.getMaxMemoryMiB() != null) {
                out.num("maxmem", spec.effectiveMaxMemoryMiB());
            }
        }
        if (spec.getVcpus() != null) {
            out.num("vcpus", spec.getVcpus());
            // xl reads "maxvcpus"; EVE's files say "maxcpus", which xl silently ignores.
            if (operator || spec.getMaxVcpus() != null) {
                out.num("maxvcpus", spec.effectiveMaxVcpus());
            }
        }
        // xl reads serial for HVM guests only; an explicit value is still written back (xl ignores it otherwise)
        if (hvm && operator || spec.getSerial() != null) {
            out.str("serial", spec.serialOrDefault());
        }
        if (spec.getBootOrder() != null) {
            if (!hvm) {
                errors.add(new FieldError("spec.bootOrder", "only HVM guests have a boot order; remove it for " + type + " guests"));
            } else if (!BOOT.matcher(spec.getBootOrder()).matches()) {
                errors.add(new FieldError("spec.bootOrder", "'" + spec.getBootOrder() + "' is not a boot order (letters c, d, n)"));
            }
            out.str("boot", spec.getBootOrder());
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
        for (int i = 0; i < definition.pciAddresses().size(); i++) {
            String address = definition.pciAddresses().get(i);
            if (address == null || !PCI.matcher(address).matches()) {
                errors.add(new FieldError("pciAddresses[" + i + "]", "'" + address
                    + "' is not a long-form PCI address (lower-case DDDD:BB:DD.F, e.g. 0000:07:00.0)"));
            }
            pci.add(XlDeviceSpecs.pciSpec(address, pciOptions(spec, i)));
        }
        if (!pci.isEmpty()) {
            out.list("pci", pci);
        }
        XlHardwareRenderer.render(spec, hvm, out, errors);
        policy(out, "on_poweroff", mode, spec.getOnPoweroff());
        policy(out, "on_reboot", mode, spec.getOnReboot());
        policy(out, "on_crash", mode, spec.getOnCrash());
        if (!errors.isEmpty()) {
            throw new XlRenderException(errors);
        }
        return out.build();
    }

    private static void policy(XlConfig.Builder out, String key, Mode mode, LifecyclePolicy policy) {
        if (mode == Mode.OPERATOR) {
            out.str(key, "preserve");
        } else if (policy != null) {
            out.str(key, policy.xlValue());
        }
    }

    private static List<String> disks(DomainDefinition definition, List<FieldError> errors) {
        List<String> specs = new ArrayList<>();
        List<Disk> disks = definition.spec().getDisks();
        for (int i = 0; i < disks.size(); i++) {
            Disk disk = disks.get(i);
            String path = definition.diskPaths().get(i);
            String field = "diskPaths[" + i + "]";
            boolean cdrom = disk != null && disk.cdromOrDefault();
            if (cdrom && (path == null || path.isEmpty())) {
                if (disk.getTarget() != null && TARGET.matcher(disk.getTarget()).matches()) {
                    specs.add(XlDeviceSpecs.disk(new XlDeviceSpecs.DiskSpec(null, disk.formatOrDefault(), disk.getTarget(), true, true,
                        disk.getXenOptions())));
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
            if (disk == null || disk.getTarget() == null || !TARGET.matcher(disk.getTarget()).matches()) {
                continue; // the validator has reported it
            }
            specs.add(XlDeviceSpecs.disk(new XlDeviceSpecs.DiskSpec(path, disk.formatOrDefault(), disk.getTarget(),
                disk.readOnlyOrDefault() || cdrom, cdrom, disk.getXenOptions())));
        }
        return specs;
    }

    private static List<String> vifs(DomainDefinition definition, List<FieldError> errors) {
        List<String> specs = new ArrayList<>();
        List<Vif> vifs = definition.spec().getVifs();
        for (int i = 0; i < vifs.size(); i++) {
            Vif vif = vifs.get(i);
            if (vif == null || vif.getBridge() == null || !IFNAME.matcher(vif.getBridge()).matches()
                || vif.getVifName() != null && !IFNAME.matcher(vif.getVifName()).matches()
                || vif.getMac() != null && !MAC.matcher(vif.getMac()).matches()
                || vif.getModel() != null && !NIC_MODEL.matcher(vif.getModel()).matches()) {
                continue; // DomainConfigValidator has reported the field; a comma or '=' would split the spec
            }
            String mac = vif.getMac() != null ? vif.getMac() : generatedMac(definition, i);
            specs.add(XlDeviceSpecs.vif(new XlDeviceSpecs.VifSpec(vif.getBridge(), vif.getVifName(), mac, vif.getModel(), vif.getXenOptions())));
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

    private static String checked(List<FieldError> errors, String field, String value) {
        XlSyntax.unwritable(value).ifPresent(problem -> errors.add(new FieldError(field, problem)));
        return value;
    }
}
