package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.api.v1alpha1.XenDeviceOptions;
import io.domainoperator.api.v1alpha1.XenPciOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The comma-separated device specs inside xl's {@code disk}, {@code vif} and {@code pci} list items. They have
 * no escaping at all: a comma or '=' in a value would start a new parameter, so such values are refused when
 * rendering (or, for disk paths, moved into {@code target=}, which xl reads verbatim to the end of the spec).
 */
public final class XlDeviceSpecs {
    private static final Pattern IFNAME = Pattern.compile(Patterns.IFNAME);
    private static final Pattern MAC = Pattern.compile(Patterns.MAC);
    private static final Pattern SHORT_BDF = Pattern.compile("^([0-9a-fA-F]{1,2}):([0-1]?[0-9a-fA-F])\\.([0-7])$");
    private static final Pattern LONG_BDF = Pattern.compile("^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,2}):([0-1]?[0-9a-fA-F])\\.([0-7])$");

    private XlDeviceSpecs() {
    }

    /**
     * A disk as a spec describes it.
     *
     * @param path  the image, or null for an empty CD-ROM drive
     * @param cdrom a CD-ROM drive (devtype=cdrom, a bare {@code cdrom} or xm's {@code hdc:cdrom})
     */
    public record DiskSpec(String path, DiskFormat format, String vdev, boolean readOnly, boolean cdrom, List<String> options) {
        public DiskSpec(String path, DiskFormat format, String vdev, boolean readOnly, boolean cdrom) {
            this(path, format, vdev, readOnly, cdrom, List.of());
        }

        public DiskSpec(String path, DiskFormat format, String vdev, boolean readOnly) {
            this(path, format, vdev, readOnly, false);
        }
    }

    /**
     * A vif as a spec describes it; absent parameters are null.
     *
     * @param bridge null when the spec names none (xl then uses its default bridge, xenbr0)
     */
    public record VifSpec(String bridge, String vifName, String mac, String model, List<String> options) {
        public VifSpec(String bridge, String vifName, String mac, String model) {
            this(bridge, vifName, mac, model, List.of());
        }

        public VifSpec(String bridge, String vifName, String mac) {
            this(bridge, vifName, mac, null);
        }
    }

    /** Options carried verbatim: printable ASCII that cannot end the parameter, the item or the list. */
    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9_-]{0,31}(=[ -~&&[^,'\"\\[\\]]]{0,222})?");

    /** Whether an option can be carried inside a device spec: it cannot end the parameter, the item or the list. */
    static boolean carriable(String option) {
        return option != null && OPTION.matcher(option).matches();
    }

    /** NIC model names xl passes to QEMU: the same shape as the API's pattern. */
    private static final Pattern NIC_MODEL = Pattern.compile(Patterns.NIC_MODEL);

    /**
     * EVE's positional form {@code path,format,vdev,rw}, or the keyword form with {@code target=} last when the
     * path holds a character the positional form would misread (',', '=', ':').
     */
    public static String disk(DiskSpec disk) {
        String access = disk.readOnly() || disk.cdrom() ? "ro" : "rw";
        String devtype = disk.cdrom() ? ",devtype=cdrom" : "";
        String path = disk.path() == null ? "" : disk.path();
        String options = disk.options().stream().map(o -> "," + o).collect(java.util.stream.Collectors.joining());
        if (path.matches("[^,=:]+")) {
            return path + "," + disk.format().name() + "," + disk.vdev() + "," + access + devtype + options;
        }
        // target= takes the rest of the spec, so the options go before it
        return "format=" + disk.format().name() + ", vdev=" + disk.vdev() + ", access=" + access
            + (disk.cdrom() ? ", devtype=cdrom" : "") + options.replace(",", ", ") + ", target=" + path;
    }

    public static String vif(VifSpec vif) {
        StringBuilder out = new StringBuilder("bridge=").append(vif.bridge());
        if (vif.vifName() != null) {
            out.append(",vifname=").append(vif.vifName());
        }
        if (vif.mac() != null) {
            out.append(",mac=").append(vif.mac());
        }
        if (vif.model() != null) {
            out.append(",model=").append(vif.model());
        }
        vif.options().forEach(option -> out.append(',').append(option));
        return out.toString();
    }

    /**
     * Parses one disk spec ({@code xl-disk-configuration}): positional {@code target,format,vdev,access},
     * {@code key=value} parameters, or a mix; {@code target=} takes the rest of the spec.
     *
     * @throws IllegalArgumentException saying which parameter is wrong; the caller adds the line
     */
    public static DiskSpec parseDisk(String spec) {
        String target = null;
        String format = null;
        String vdev = null;
        String access = null;
        boolean cdrom = false;
        List<String> options = new ArrayList<>();
        // xm's legacy form names the format in a prefix (phy:/dev/sdb, qcow2:/img/x.qcow2) and then has no
        // format slot: target,vdev,access. libxlutil reads both, so this does too.
        String[] slots = {"target", "format", "vdev", "access"};
        int positional = 0;
        int offset = 0;
        while (offset <= spec.length()) {
            int comma = spec.indexOf(',', offset);
            String raw = spec.substring(offset, comma < 0 ? spec.length() : comma);
            String param = raw.strip();
            int at = offset + 1 + (raw.length() - raw.stripLeading().length());
            if (param.startsWith("target=")) {
                target = spec.substring(offset + raw.indexOf("target=") + "target=".length());
                break;
            }
            int eq = param.indexOf('=');
            if (eq >= 0) {
                String key = param.substring(0, eq);
                String value = param.substring(eq + 1);
                switch (key) {
                    case "format" -> format = value;
                    case "vdev" -> vdev = value;
                    case "access" -> access = value;
                    case "devtype" -> {
                        if (!value.equals("cdrom") && !value.equals("disk")) {
                            throw new IllegalArgumentException("devtype '" + value + "' is not cdrom or disk");
                        }
                        cdrom = value.equals("cdrom");
                    }
                    default -> options.add(carried(param, key, XenDeviceOptions.DISK_KEYS, at));
                }
            } else if (param.equals("cdrom")) {
                cdrom = true;
            } else if (XenDeviceOptions.DISK_FLAGS.contains(param)) {
                options.add(param);
            } else {
                if (positional >= slots.length) {
                    throw new IllegalArgumentException("unexpected positional parameter '" + param + "' (character " + at
                        + "); the order is " + String.join(",", slots));
                }
                String slot = slots[positional++];
                String value = param.isEmpty() ? null : param;
                switch (slot) {
                    case "target" -> {
                        target = value;
                        if (value != null && legacyPrefix(value) != null) {
                            slots = new String[] {"target", "vdev", "access"};
                        }
                    }
                    case "format" -> format = value;
                    case "vdev" -> vdev = value;
                    default -> access = value;
                }
            }
            if (comma < 0) {
                break;
            }
            offset = comma + 1;
        }
        if (vdev != null && vdev.endsWith(":cdrom")) {
            vdev = vdev.substring(0, vdev.length() - ":cdrom".length());
            cdrom = true;
        }
        if (vdev == null) {
            throw new IllegalArgumentException("has no vdev (the device the guest sees, e.g. xvda)");
        }
        if (cdrom && (target == null || target.isBlank())) {
            return new DiskSpec(null, diskFormat(format), vdev, true, true, List.copyOf(options));
        }
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("has no target (the image path)");
        }
        String prefix = legacyPrefix(target);
        if (prefix != null) {
            target = target.substring(prefix.length() + 1);
            String implied = switch (prefix) {
                case "qcow2" -> "qcow2";
                case "raw", "phy", "file", "aio", "tap:aio" -> "raw";
                default -> throw new IllegalArgumentException("target prefix '" + prefix
                    + ":' is not supported; use a plain path with format=qcow2 or format=raw");
            };
            format = format == null ? implied : format;
        }
        return new DiskSpec(target, diskFormat(format), vdev, readOnly(access) || cdrom, cdrom, List.copyOf(options));
    }

    /** The prefix before the path, e.g. {@code phy} in {@code phy:/dev/sdb}; null when the target is a plain path. */
    private static String legacyPrefix(String target) {
        int slash = target.indexOf('/');
        int colon = slash < 0 ? target.lastIndexOf(':') : target.lastIndexOf(':', slash);
        return colon > 0 ? target.substring(0, colon) : null;
    }

    private static DiskFormat diskFormat(String format) {
        if (format == null) {
            return DiskFormat.raw; // xl's default, not DomainConfig's
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "qcow2" -> DiskFormat.qcow2;
            case "raw" -> DiskFormat.raw;
            default -> throw new IllegalArgumentException("format '" + format + "' is not supported; use qcow2 or raw");
        };
    }

    private static boolean readOnly(String access) {
        if (access == null) {
            return false;
        }
        return switch (access) {
            case "rw", "w" -> false;
            case "ro", "r" -> true;
            default -> throw new IllegalArgumentException("access '" + access + "' is not one of rw, w, ro, r");
        };
    }

    /** Parses {@code bridge=..,vifname=..,mac=..,model=..}; other vif parameters have no DomainConfig field. */
    public static VifSpec parseVif(String spec) {
        String bridge = null;
        String vifName = null;
        String mac = null;
        String model = null;
        List<String> options = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String param = raw.strip();
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("parameter '" + param + "' is not key=value");
            }
            String key = param.substring(0, eq).strip();
            String value = param.substring(eq + 1).strip();
            switch (key) {
                case "bridge" -> bridge = value;
                case "vifname" -> vifName = value;
                case "mac" -> mac = value;
                case "model" -> model = value;
                default -> options.add(carried(key + "=" + value, key, XenDeviceOptions.VIF_KEYS, -1));
            }
        }
        if (model != null && !NIC_MODEL.matcher(model).matches()) {
            throw new IllegalArgumentException("model '" + model + "' is not a NIC model name, e.g. e1000");
        }
        if (bridge != null && !IFNAME.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bridge '" + bridge + "' is not an interface name");
        }
        if (vifName != null && !IFNAME.matcher(vifName).matches()) {
            throw new IllegalArgumentException("vifname '" + vifName + "' is not an interface name (at most 15 characters)");
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("mac '" + mac + "' is not six hex octets separated by ':'");
        }
        return new VifSpec(bridge, vifName, mac, model, List.copyOf(options));
    }

    /** A parameter with no DomainConfig field, carried verbatim in the device's xenOptions when xl can read it back. */
    private static String carried(String param, String key, Set<String> known, int at) {
        if (!known.contains(key)) {
            throw new IllegalArgumentException("parameter '" + key + "'" + (at < 0 ? "" : " (character " + at + ")")
                + " is not one xl knows; known: " + String.join(", ", new java.util.TreeSet<>(known))
                + " (carried in xenOptions) and those with a DomainConfig field");
        }
        if (!OPTION.matcher(param).matches()) {
            throw new IllegalArgumentException("parameter '" + param + "'" + (at < 0 ? "" : " (character " + at + ")")
                + " cannot be carried in xenOptions: a key of lower-case letters, digits, '_' or '-' and a value of"
                + " at most 222 printable ASCII characters without quotes or brackets");
        }
        return param;
    }

    /**
     * A pci entry as a spec describes it.
     *
     * @param address the long-form address sysfs uses
     * @param options the parameters after the address, each key=value; a virtual slot ({@code @5}) as vslot=5
     */
    public record PciSpec(String address, List<String> options) {
    }

    /** The long-form address of a pci entry; see {@link #parsePciSpec(String)}. */
    public static String parsePci(String spec) {
        return parsePciSpec(spec).address();
    }

    /**
     * Parses a pci entry: {@code [DDDD:]BB:DD.F[@VSLOT][,KEY=VALUE...]} or {@code bdf=...,KEY=VALUE...}. The address
     * is normalized to the long form; the other parameters are kept verbatim for spec.xen.pciOptions.
     */
    public static PciSpec parsePciSpec(String spec) {
        String[] params = spec.strip().split(",", -1);
        String first = params[0].strip();
        List<String> options = new ArrayList<>();
        String bdf = first.startsWith("bdf=") ? first.substring(4) : first;
        int at = bdf.indexOf('@');
        if (at >= 0) {
            options.add(pciOption("vslot=" + bdf.substring(at + 1)));
            bdf = bdf.substring(0, at);
        }
        for (int i = 1; i < params.length; i++) {
            String param = params[i].strip();
            if (param.startsWith("bdf=")) {
                throw new IllegalArgumentException("the address is given twice; give it once, first");
            }
            if (!param.isEmpty()) {
                options.add(pciOption(param));
            }
        }
        return new PciSpec(pciAddress(bdf), List.copyOf(options));
    }

    private static String pciOption(String param) {
        int eq = param.indexOf('=');
        String key = eq < 0 ? param : param.substring(0, eq);
        if (eq < 0 || !XenPciOptions.PCI_KEYS.contains(key)) {
            throw new IllegalArgumentException("pci parameter '" + param + "' is not key=value with a key xl knows; known: "
                + String.join(", ", new java.util.TreeSet<>(XenPciOptions.PCI_KEYS)));
        }
        if (!OPTION.matcher(param).matches()) {
            throw new IllegalArgumentException("pci parameter '" + param + "' cannot be carried in spec.xen.pciOptions: a value of"
                + " at most 222 printable ASCII characters without quotes or brackets");
        }
        return param;
    }

    private static String pciAddress(String bdf) {
        var shortForm = SHORT_BDF.matcher(bdf);
        if (shortForm.matches()) {
            return pciAddress(0, shortForm.group(1), shortForm.group(2), shortForm.group(3));
        }
        var longForm = LONG_BDF.matcher(bdf);
        if (longForm.matches()) {
            return pciAddress(Integer.parseInt(longForm.group(1), 16), longForm.group(2), longForm.group(3), longForm.group(4));
        }
        throw new IllegalArgumentException("'" + bdf + "' is not a PCI address; use BB:DD.F or DDDD:BB:DD.F, e.g. 0000:07:00.0");
    }

    /**
     * A pci entry for the xl file: the address, the virtual slot as {@code @N} (the form every xl reads) and the
     * other options after it.
     */
    public static String pciSpec(String address, List<String> options) {
        StringBuilder out = new StringBuilder(address);
        String vslot = null;
        List<String> rest = new ArrayList<>();
        for (String option : options) {
            if (option.startsWith("vslot=")) {
                vslot = option.substring("vslot=".length());
            } else {
                rest.add(option);
            }
        }
        if (vslot != null) {
            out.append('@').append(vslot);
        }
        rest.forEach(o -> out.append(',').append(o));
        return out.toString();
    }

    private static String pciAddress(int domain, String bus, String dev, String func) {
        int device = Integer.parseInt(dev, 16);
        if (device > 0x1f) {
            throw new IllegalArgumentException("device number " + dev + " is above 1f");
        }
        return "%04x:%02x:%02x.%s".formatted(domain, Integer.parseInt(bus, 16), device, func);
    }
}
