package io.domainoperator.api.v1alpha1;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One validation for every way a DomainConfig arrives (API server, admission, standalone folder, import-xl,
 * the engine before it acts): the checks an OpenAPI schema cannot express (relations between fields,
 * uniqueness inside lists, path hygiene, a domain waiting for itself), with messages that say how to fix
 * them, and then every constraint of the schema itself, read from the annotations the schema is generated
 * from ({@link SchemaConstraints}), because standalone mode and a server without the schema validate nothing.
 */
public final class DomainConfigValidator {
    private static final java.util.regex.Pattern DOMAIN_NAME = java.util.regex.Pattern.compile(Patterns.DOMAIN_NAME);
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(Patterns.UUID);
    private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile(Patterns.MAC);
    private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile(Patterns.ABSOLUTE_PATH);
    private static final java.util.regex.Pattern TARGET = java.util.regex.Pattern.compile(Patterns.DISK_TARGET);
    private static final java.util.regex.Pattern IFNAME = java.util.regex.Pattern.compile(Patterns.IFNAME);
    private static final java.util.regex.Pattern BOOT_ORDER = java.util.regex.Pattern.compile(Patterns.BOOT_ORDER);
    private static final java.util.regex.Pattern CMDLINE = java.util.regex.Pattern.compile(Patterns.CMDLINE);
    private static final java.util.regex.Pattern OBJECT_NAME = java.util.regex.Pattern.compile(Patterns.OBJECT_NAME);

    private DomainConfigValidator() {
    }

    /** Every problem of the object, its name included (a startAfter naming the object itself). */
    public static List<FieldError> validateObject(DomainConfig domain) {
        return validate(domain.getMetadata() == null ? null : domain.getMetadata().getName(), domain.getSpec());
    }

    /**
     * Every problem found; empty when the spec is valid. {@code name} is the object's metadata.name, or null
     * when unknown (then a self-dependency cannot be seen).
     */
    public static List<FieldError> validate(String name, DomainConfigSpec spec) {
        List<FieldError> errors = validate(spec);
        if (name != null && spec != null) {
            int self = spec.getStartAfter().indexOf(name);
            if (self >= 0) {
                errors.add(new FieldError("spec.startAfter[" + self + "]", Untrusted.quote(name)
                    + " is this DomainConfig itself: a domain cannot wait for itself to be Running; remove it"));
            }
        }
        return errors;
    }

    /** Every problem of the spec alone, in field order; empty when the spec is valid. */
    public static List<FieldError> validate(DomainConfigSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            errors.add(new FieldError("spec", "is missing; a DomainConfig needs at least displayName, vcpus and memoryMiB"));
            return errors;
        }
        checkIdentity(spec, errors);
        checkSizing(spec, errors);
        checkBoot(spec, errors);
        checkDisks(spec, errors);
        checkVifs(spec, errors);
        checkNames("spec.adapters", spec.getAdapters(), errors);
        checkPciOptions(spec, errors);
        checkNames("spec.startAfter", spec.getStartAfter(), errors);
        checkReadinessProbe(spec.getReadinessProbe(), errors);
        HardwareSettingsValidator.check(spec, errors);
        SaveSettingsValidator.check(spec, errors);
        Set<String> reported = new HashSet<>();
        errors.forEach(e -> reported.add(e.field()));
        SchemaConstraints.check(spec, "spec", reported, errors);
        return errors;
    }

    /** A probe checks something, and its expression is one Java can search with. */
    private static void checkReadinessProbe(ReadinessProbe probe, List<FieldError> errors) {
        if (probe == null) {
            return;
        }
        if (probe.getTcp() == null && probe.getSerial() == null && probe.getGuestAgent() == null) {
            errors.add(new FieldError("spec.readinessProbe", "checks nothing: give tcp {host, port}, serial {expect} or guestAgent {},"
                + " or remove readinessProbe to count the guest up when the domain runs"));
        }
        ReadinessProbe.TcpProbe tcp = probe.getTcp();
        if (tcp != null && tcp.getHost() == null) {
            errors.add(new FieldError("spec.readinessProbe.tcp.host", "is required: the guest's address as the node reaches it, e.g. 10.0.0.5"));
        }
        if (tcp != null && tcp.getPort() == null) {
            errors.add(new FieldError("spec.readinessProbe.tcp.port", "is required: the TCP port to connect to, e.g. 22"));
        }
        ReadinessProbe.SerialProbe serial = probe.getSerial();
        if (serial != null && serial.getExpect() == null) {
            errors.add(new FieldError("spec.readinessProbe.serial.expect", "is required: a regular expression the guest prints when up, e.g. 'login: '"));
        } else if (serial != null && Untrusted.firstControl(serial.getExpect()) < 0) {
            try {
                java.util.regex.Pattern.compile(serial.getExpect());
            } catch (java.util.regex.PatternSyntaxException e) {
                errors.add(new FieldError("spec.readinessProbe.serial.expect", Untrusted.quote(serial.getExpect())
                    + " is not a regular expression (" + e.getDescription() + " at index " + e.getIndex()
                    + "); escape special characters with a backslash"));
            }
        }
    }

    private static void checkIdentity(DomainConfigSpec spec, List<FieldError> errors) {
        if (spec.getDisplayName() == null) {
            errors.add(new FieldError("spec.displayName", "is required: the domain's name on the hypervisor, e.g. vyos-app.1"));
        } else if (!DOMAIN_NAME.matcher(spec.getDisplayName()).matches()) {
            errors.add(new FieldError("spec.displayName", Untrusted.quote(spec.getDisplayName())
                + " is not a usable domain name: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)"));
        }
        if (spec.getUuid() != null && !UUID.matcher(spec.getUuid()).matches()) {
            errors.add(new FieldError("spec.uuid", Untrusted.quote(spec.getUuid()) + " is not a uuid (8-4-4-4-12 hex digits); remove it to let the agent pick one"));
        }
        if (spec.getNodeName() != null && !OBJECT_NAME.matcher(spec.getNodeName()).matches()) {
            errors.add(new FieldError("spec.nodeName", Untrusted.quote(spec.getNodeName()) + " is not a Kubernetes node name (lower-case RFC 1123)"));
        }
    }

    private static void checkSizing(DomainConfigSpec spec, List<FieldError> errors) {
        Integer vcpus = spec.getVcpus();
        if (vcpus == null) {
            errors.add(new FieldError("spec.vcpus", "is required: the number of virtual CPUs, e.g. 1"));
        }
        if (spec.getMaxVcpus() != null && vcpus != null && spec.getMaxVcpus() < vcpus) {
            errors.add(new FieldError("spec.maxVcpus", "must be at least vcpus (" + vcpus + "), is " + spec.getMaxVcpus()
                + "; raise it or remove it to default to vcpus"));
        }
        Integer memory = spec.getMemoryMiB();
        if (memory == null) {
            errors.add(new FieldError("spec.memoryMiB", "is required: memory at boot in MiB, e.g. 512"));
        }
        if (spec.getMaxMemoryMiB() != null && memory != null && spec.getMaxMemoryMiB() < memory) {
            errors.add(new FieldError("spec.maxMemoryMiB", "must be at least memoryMiB (" + memory + "), is "
                + spec.getMaxMemoryMiB() + "; raise it or remove it to default to memoryMiB"));
        }
    }

    private static void checkBoot(DomainConfigSpec spec, List<FieldError> errors) {
        // A PV guest booted by a bootloader (pygrub) or PV firmware (pvgrub), carried from its xl file, has no kernel.
        boolean bootsItself = spec.passThroughOrEmpty().stream()
            .anyMatch(s -> s != null && ("bootloader".equals(s.getKey()) || "firmware".equals(s.getKey())));
        if (spec.modeOrDefault() == VirtualizationMode.PV && spec.getKernel() == null && !bootsItself) {
            errors.add(new FieldError("spec.kernel", "is required for a PV guest: give the path of a Xen-aware kernel, or use virtualizationMode HVM"));
        }
        checkPath("spec.kernel", spec.getKernel(), errors);
        checkPath("spec.ramdisk", spec.getRamdisk(), errors);
        if (spec.getRamdisk() != null && spec.getKernel() == null) {
            errors.add(new FieldError("spec.ramdisk", "needs spec.kernel: a ramdisk is only used with direct kernel boot"));
        }
        if (spec.getCmdline() != null && (!CMDLINE.matcher(spec.getCmdline()).matches()
            || spec.getCmdline().length() > Patterns.CMDLINE_MAX_LENGTH)) {
            errors.add(new FieldError("spec.cmdline", "must be printable ASCII without double quotes or newlines (at most 2048 characters)"));
        }
        if (spec.getBootOrder() != null && !BOOT_ORDER.matcher(spec.getBootOrder()).matches()) {
            errors.add(new FieldError("spec.bootOrder", Untrusted.quote(spec.getBootOrder()) + " is not a boot order: use 1-3 of the letters c (disk), d (cdrom), n (network)"));
        }
    }

    private static void checkDisks(DomainConfigSpec spec, List<FieldError> errors) {
        Map<String, Integer> targets = new HashMap<>();
        for (int i = 0; i < spec.getDisks().size(); i++) {
            Disk disk = spec.getDisks().get(i);
            String at = "spec.disks[" + i + "]";
            if (disk == null) {
                errors.add(new FieldError(at, "is empty; give source and target"));
                continue;
            }
            XenDeviceOptions.check(at + ".xenOptions", disk.getXenOptions(), XenDeviceOptions.DISK_FIELDS,
                XenDeviceOptions.DISK_FLAGS, XenDeviceOptions.DISK_KEYS, errors);
            if (disk.getSource() == null && !disk.cdromOrDefault()) {
                errors.add(new FieldError(at + ".source", "is required: the absolute path of the image on the node"));
            } else {
                checkPath(at + ".source", disk.getSource(), errors);
            }
            if (disk.getTarget() == null) {
                errors.add(new FieldError(at + ".target", "is required: the device name the guest sees, e.g. xvda"));
            } else if (!TARGET.matcher(disk.getTarget()).matches()) {
                errors.add(new FieldError(at + ".target", Untrusted.quote(disk.getTarget()) + " is not a disk device name: use xvdX, hdX, sdX or vdX"));
            } else {
                Integer first = targets.putIfAbsent(disk.getTarget(), i);
                if (first != null) {
                    errors.add(new FieldError(at + ".target", Untrusted.quote(disk.getTarget()) + " is already used by spec.disks[" + first + "]; each disk needs its own target"));
                }
            }
        }
    }

    private static void checkVifs(DomainConfigSpec spec, List<FieldError> errors) {
        Map<String, Integer> macs = new HashMap<>();
        Map<String, Integer> vifNames = new HashMap<>();
        for (int i = 0; i < spec.getVifs().size(); i++) {
            Vif vif = spec.getVifs().get(i);
            String at = "spec.vifs[" + i + "]";
            if (vif == null) {
                errors.add(new FieldError(at, "is empty; give at least bridge"));
                continue;
            }
            XenDeviceOptions.check(at + ".xenOptions", vif.getXenOptions(), XenDeviceOptions.VIF_FIELDS, java.util.Set.of(),
                XenDeviceOptions.VIF_KEYS, errors);
            if (vif.getBridge() == null) {
                errors.add(new FieldError(at + ".bridge", "is required: the host bridge to attach to, e.g. br0"));
            } else if (!IFNAME.matcher(vif.getBridge()).matches()) {
                errors.add(new FieldError(at + ".bridge", Untrusted.quote(vif.getBridge()) + " is not an interface name (at most 15 of letters, digits, '_', '.', '-')"));
            }
            if (vif.getMac() != null) {
                if (!MAC.matcher(vif.getMac()).matches()) {
                    errors.add(new FieldError(at + ".mac", Untrusted.quote(vif.getMac()) + " is not a MAC address: six hex octets separated by ':', e.g. 00:16:3e:00:01:01"));
                } else {
                    Integer first = macs.putIfAbsent(vif.getMac().toLowerCase(Locale.ROOT), i);
                    if (first != null) {
                        errors.add(new FieldError(at + ".mac", vif.getMac() + " is already used by spec.vifs[" + first + "]; MACs must be unique"));
                    } else if ((Integer.parseInt(vif.getMac().substring(0, 2), 16) & 1) == 1) {
                        errors.add(new FieldError(at + ".mac", vif.getMac() + " is a multicast address; the first octet must be even, e.g. 00:16:3e:..."));
                    }
                }
            }
            if (vif.getVifName() != null) {
                if (!IFNAME.matcher(vif.getVifName()).matches()) {
                    errors.add(new FieldError(at + ".vifName", Untrusted.quote(vif.getVifName()) + " is not an interface name (at most 15 of letters, digits, '_', '.', '-')"));
                } else {
                    Integer first = vifNames.putIfAbsent(vif.getVifName(), i);
                    if (first != null) {
                        errors.add(new FieldError(at + ".vifName", Untrusted.quote(vif.getVifName()) + " is already used by spec.vifs[" + first + "]"));
                    }
                }
            }
        }
    }

    private static void checkPciOptions(DomainConfigSpec spec, List<FieldError> errors) {
        if (spec.getXen() == null) {
            return;
        }
        Map<String, Integer> adapters = new HashMap<>();
        List<XenPciOptions> entries = spec.getXen().getPciOptions();
        for (int i = 0; i < entries.size(); i++) {
            XenPciOptions entry = entries.get(i);
            String at = "spec.xen.pciOptions[" + i + "]";
            if (entry == null) {
                errors.add(new FieldError(at, "is empty; give adapter and options"));
                continue;
            }
            if (entry.getAdapter() != null) {
                if (!spec.getAdapters().contains(entry.getAdapter())) {
                    errors.add(new FieldError(at + ".adapter", Untrusted.quote(entry.getAdapter())
                        + " is not listed in spec.adapters; add it there or remove these options"));
                } else {
                    Integer first = adapters.putIfAbsent(entry.getAdapter(), i);
                    if (first != null) {
                        errors.add(new FieldError(at + ".adapter", Untrusted.quote(entry.getAdapter())
                            + " already has options in spec.xen.pciOptions[" + first + "]; merge the two"));
                    }
                }
            }
            XenDeviceOptions.check(at + ".options", entry.getOptions(), Map.of(), Set.of(), XenPciOptions.PCI_KEYS, errors);
        }
    }

    private static void checkNames(String field, List<String> names, List<FieldError> errors) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || !OBJECT_NAME.matcher(name).matches()) {
                errors.add(new FieldError(field + "[" + i + "]", Untrusted.quote(name) + " is not an object name (lower-case RFC 1123)"));
            } else if (!seen.add(name)) {
                errors.add(new FieldError(field + "[" + i + "]", Untrusted.quote(name) + " is listed twice"));
            }
        }
    }

    private static void checkPath(String field, String path, List<FieldError> errors) {
        if (path == null) {
            return;
        }
        if (!path.startsWith("/")) {
            errors.add(new FieldError(field, Untrusted.quote(path) + " must be an absolute path on the node, e.g. /persist/img/disk.qcow2"));
        } else if (List.of(path.split("/")).contains("..")) {
            errors.add(new FieldError(field, Untrusted.quote(path) + " must not contain '..' segments; give the resolved path"));
        } else if (!PATH.matcher(path).matches()) {
            errors.add(new FieldError(field, Untrusted.quote(path) + " contains characters a domain definition cannot carry (commas, quotes, spaces, control characters); rename the file"));
        }
    }
}
