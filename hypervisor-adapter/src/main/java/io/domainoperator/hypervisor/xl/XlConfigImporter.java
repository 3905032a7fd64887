package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.XenPciOptions;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Imports an existing xl (or xm) config file as a DomainConfig: the {@code import-xl} path for domains that
 * were managed by hand or by EVE. Every key gets the treatment {@code xl-keys.tsv} gives it ({@link XlKeys}):
 * mapped to a field, carried verbatim in spec.xen.passThrough, dropped with a warning saying why that is
 * harmless, or refused; nothing is lost silently, because an import that loses a setting would boot a different VM.
 *
 * <p>Never throws: the result is either the whole DomainConfig (with its warnings) or every problem found, each
 * naming its line.
 */
public final class XlConfigImporter {
    /** xl's default bridge, used by a vif spec that names none ({@code vif = ['']}). */
    static final String XL_DEFAULT_BRIDGE = "xenbr0";

    /** Where a validator error's field came from, for the line number. */
    private static final Map<String, List<String>> FIELD_KEYS = Map.ofEntries(
        Map.entry("spec.displayName", List.of("name")), Map.entry("spec.uuid", List.of("uuid")),
        Map.entry("spec.vcpus", List.of("vcpus")), Map.entry("spec.maxVcpus", List.of("maxvcpus", "maxcpus")),
        Map.entry("spec.memoryMiB", List.of("memory")), Map.entry("spec.maxMemoryMiB", List.of("maxmem")),
        Map.entry("spec.kernel", List.of("kernel", "type", "builder")), Map.entry("spec.ramdisk", List.of("ramdisk")),
        Map.entry("spec.cmdline", List.of("extra", "cmdline")), Map.entry("spec.bootOrder", List.of("boot")),
        Map.entry("spec.disks", List.of("disk")), Map.entry("spec.vifs", List.of("vif")),
        Map.entry("spec.adapters", List.of("pci")), Map.entry("pciAddresses", List.of("pci")),
        Map.entry("diskPaths", List.of("disk")), Map.entry("spec.vnc", List.of("vnclisten", "vnc")),
        Map.entry("spec.usbTablet", List.of("usbdevice", "usb")), Map.entry("spec.serial", List.of("serial")),
        Map.entry("spec.vga", List.of("vga", "stdvga")), Map.entry("spec.acpi", List.of("acpi")),
        Map.entry("spec.localtime", List.of("localtime")), Map.entry("spec.vnc.display", List.of("vncdisplay")),
        Map.entry("spec.vnc.keymap", List.of("keymap")), Map.entry("spec.xen.viridianGroups", List.of("viridian")),
        Map.entry("spec.xen.pciOptions", List.of("pci")),
        Map.entry("spec.xen", List.of("viridian", "pae", "apic", "hap", "nestedhvm")));

    private final XlConfig file;
    private final XlSettingsReader in;
    private final Function<String, String> adapterNameForPci;
    private final List<XlConfigException> errors;
    private final int lastLine;

    private XlConfigImporter(XlConfigParser.Parsed parsed, Function<String, String> adapterNameForPci, int lastLine) {
        this.file = parsed.config();
        this.in = new XlSettingsReader(file, lastLine);
        in.warnings.addAll(parsed.warnings());
        this.errors = in.errors;
        this.adapterNameForPci = adapterNameForPci;
        this.lastLine = lastLine;
    }

    /** Imports text, naming pci adapters by {@link #conventionalAdapterName(String)}. */
    public static XlImport importText(String text) {
        return importText(text, XlConfigImporter::conventionalAdapterName);
    }

    /**
     * @param adapterNameForPci the PhysicalIOAdapter name for a long-form PCI address (the import-xl CLI looks
     *                          them up on the node); returns null when there is none
     */
    public static XlImport importText(String text, Function<String, String> adapterNameForPci) {
        return importText(text, adapterNameForPci, XlUtilRuntime.installed());
    }

    /**
     * @param xenParser Xen's own parser to check the file and the import with; without it the import says so
     *                  in a warning
     */
    public static XlImport importText(String text, Function<String, String> adapterNameForPci, java.util.Optional<LibXlUtil> xenParser) {
        XlImport result = importUnchecked(text, adapterNameForPci);
        try {
            return XlXenCheck.checkImport(xenParser, text, result);
        } catch (RuntimeException e) {
            return new XlImport.Rejected(List.of(new XlConfigException(0, 0, "checking the import with libxlutil failed: " + e)));
        }
    }

    private static XlImport importUnchecked(String text, Function<String, String> adapterNameForPci) {
        try {
            XlConfigParser.Parsed file = XlConfigParser.parseWithWarnings(text);
            int lastLine = (int) text.chars().filter(c -> c == '\n').count() + (text.endsWith("\n") ? 0 : 1);
            return new XlConfigImporter(file, adapterNameForPci, Math.max(1, lastLine)).run();
        } catch (XlConfigException e) {
            return new XlImport.Rejected(List.of(e));
        } catch (RuntimeException e) {
            // A bug here must still not escape as a crash of the CLI or a half-imported domain.
            return new XlImport.Rejected(List.of(new XlConfigException(0, 0, "import failed unexpectedly: " + e)));
        }
    }

    /** {@code 0000:07:00.0} -> {@code pci-0000-07-00-0}: a valid object name, reversible by the exporter. */
    public static String conventionalAdapterName(String pciAddress) {
        return "pci-" + pciAddress.replace(':', '-').replace('.', '-');
    }

    private XlImport run() {
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName(string("name", true));
        spec.setVirtualizationMode(mode());
        spec.setUuid(string("uuid", false));
        spec.setMemoryMiB(integer("memory", true));
        spec.setMaxMemoryMiB(integer("maxmem", false));
        spec.setVcpus(integer("vcpus", true));
        spec.setMaxVcpus(in.either("maxvcpus", "maxcpus"));
        spec.setKernel(string("kernel", false));
        spec.setRamdisk(string("ramdisk", false));
        spec.setCmdline(in.eitherString("extra", "cmdline"));
        spec.setBootOrder(string("boot", false));
        spec.setSerial(serial());
        new XlHardwareImport(in).fill(spec);
        spec.setUsbTablet(usbTablet());
        spec.setOnPoweroff(policy("on_poweroff"));
        spec.setOnReboot(policy("on_reboot"));
        spec.setOnCrash(policy("on_crash"));
        spec.setDisks(disks());
        spec.setVifs(vifs());
        List<String> pciAddresses = new ArrayList<>();
        List<XenPciOptions> pciOptions = new ArrayList<>();
        spec.setAdapters(adapters(pciAddresses, pciOptions));
        if (!pciOptions.isEmpty()) {
            if (spec.getXen() == null) {
                spec.setXen(new XenSettings());
            }
            spec.getXen().setPciOptions(pciOptions);
        }
        if (errors.isEmpty()) {
            for (FieldError fieldError : DomainConfigValidator.validate(spec)) {
                error(lineOf(fieldError.field()), fieldError.toString());
            }
        }
        if (errors.isEmpty()) {
            // What is imported must be writable again: the renderer checks what the validator does not
            // (listen addresses, HVM-only settings), and an import that could not be exported is no import.
            try {
                XlConfigRenderer.render(DefinitionFromSpec.of(spec.getDisplayName(), new UUID(0, 0), spec,
                    spec.getDisks().stream().map(Disk::getSource).toList(), pciAddresses), XlConfigRenderer.Mode.EXPORT);
            } catch (XlRenderException e) {
                e.errors().forEach(fieldError -> error(lineOf(fieldError.field()), fieldError.toString()));
            }
        }
        String objectName = spec.getDisplayName() == null ? null
            : spec.getDisplayName().toLowerCase(Locale.ROOT).replace('_', '-');
        if (objectName != null && !objectName.matches(Patterns.OBJECT_NAME)) {
            error(lineOf("spec.displayName"), "cannot derive a Kubernetes object name from '" + spec.getDisplayName() + "'");
        }
        if (!errors.isEmpty()) {
            return new XlImport.Rejected(errors);
        }
        DomainConfig config = new DomainConfig();
        config.setMetadata(new ObjectMetaBuilder().withName(objectName).build());
        config.setSpec(spec);
        return new XlImport.Imported(config, pciAddresses, in.warnings.stream()
            .sorted(java.util.Comparator.comparingInt(XlConfigException::line)).toList());
    }

    private VirtualizationMode mode() {
        String type = string("type", false);
        String builder = string("builder", false);
        if (type != null && builder != null) {
            error(file.setting("builder").orElseThrow(), "'builder' and 'type' both given; keep only type");
            return null;
        }
        if (builder != null) {
            return switch (builder) {
                case "hvm" -> VirtualizationMode.HVM;
                case "generic" -> VirtualizationMode.PV;
                default -> {
                    error(file.setting("builder").orElseThrow(), "builder '" + builder + "' is not hvm or generic");
                    yield null;
                }
            };
        }
        if (type == null) {
            // Without type or builder xl builds a PV guest; DomainConfig's default is HVM, so say it.
            return VirtualizationMode.PV;
        }
        return switch (type) {
            case "hvm" -> VirtualizationMode.HVM;
            case "pv" -> VirtualizationMode.PV;
            case "pvh" -> VirtualizationMode.PVH;
            default -> {
                error(file.setting("type").orElseThrow(), "type '" + type + "' is not hvm, pv or pvh");
                yield null;
            }
        };
    }

    private String serial() {
        var setting = file.setting("serial");
        if (setting.isEmpty()) {
            return null;
        }
        XlValue value = setting.get().value();
        if (value instanceof XlValue.Lst list && list.items().size() == 1) {
            value = list.items().getFirst();
        }
        if (value instanceof XlValue.Str s && (s.value().equals("pty") || s.value().equals("none"))) {
            return s.value();
        }
        error(setting.get(), "serial must be \"pty\" or \"none\"; other consoles have no DomainConfig field");
        return null;
    }

    private Boolean usbTablet() {
        Boolean usb = flag("usb");
        var setting = file.setting("usbdevice");
        if (setting.isEmpty()) {
            if (Boolean.TRUE.equals(usb)) {
                // an emulated USB controller with no devices: no field holds it, and dropping it changes the guest
                error(file.setting("usb").orElseThrow(), "'usb' = 1 without usbdevice (a USB controller with no device) has no "
                    + "DomainConfig field; add usbdevice = ['tablet'] or remove it");
            }
            return null;
        }
        List<String> devices = switch (setting.get().value()) {
            case XlValue.Lst list -> list.items().stream().map(XlValue::atomText).toList();
            case XlValue v -> List.of(v.atomText());
        };
        if (!devices.equals(List.of("tablet"))) {
            error(setting.get(), "usbdevice must be [\"tablet\"]; other USB devices have no DomainConfig field");
            return null;
        }
        return true;
    }

    private LifecyclePolicy policy(String key) {
        String value = string(key, false);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "destroy" -> LifecyclePolicy.Destroy;
            case "restart" -> LifecyclePolicy.Restart;
            case "preserve" -> LifecyclePolicy.Preserve;
            default -> {
                error(file.setting(key).orElseThrow(), key + " '" + value + "' is not destroy, restart or preserve");
                yield null;
            }
        };
    }

    private List<Disk> disks() {
        List<Disk> disks = new ArrayList<>();
        forEachItem("disk", (setting, index, spec) -> {
            XlDeviceSpecs.DiskSpec parsed = XlDeviceSpecs.parseDisk(spec);
            Disk disk = new Disk(parsed.path(), parsed.format(), parsed.vdev());
            disk.setReadOnly(parsed.readOnly() && !parsed.cdrom() ? Boolean.TRUE : null);
            disk.setCdrom(parsed.cdrom() ? Boolean.TRUE : null);
            disk.setXenOptions(new ArrayList<>(parsed.options()));
            disks.add(disk);
        });
        return disks;
    }

    private List<Vif> vifs() {
        List<Vif> vifs = new ArrayList<>();
        forEachItem("vif", (setting, index, spec) -> {
            XlDeviceSpecs.VifSpec parsed = XlDeviceSpecs.parseVif(spec);
            String bridge = parsed.bridge();
            if (bridge == null) {
                bridge = XL_DEFAULT_BRIDGE;
                in.warn(setting, key(setting) + "[" + index + "] names no bridge; xl's default " + XL_DEFAULT_BRIDGE
                    + " is written out (set spec.vifs[" + index + "].bridge if the node's xl.conf says otherwise)");
            }
            Vif vif = new Vif(bridge, parsed.mac(), parsed.vifName());
            vif.setModel(parsed.model());
            vif.setXenOptions(new ArrayList<>(parsed.options()));
            vifs.add(vif);
        });
        return vifs;
    }

    private List<String> adapters(List<String> pciAddresses, List<XenPciOptions> pciOptions) {
        List<String> adapters = new ArrayList<>();
        forEachItem("pci", (setting, index, spec) -> {
            XlDeviceSpecs.PciSpec parsed = XlDeviceSpecs.parsePciSpec(spec);
            String address = parsed.address();
            String name = adapterNameForPci.apply(address);
            if (name == null) {
                throw new IllegalArgumentException("no PhysicalIOAdapter has PCI address " + address + "; create one first");
            }
            pciAddresses.add(address);
            adapters.add(name);
            if (!parsed.options().isEmpty()) {
                pciOptions.add(new XenPciOptions(name, parsed.options()));
            }
        });
        return adapters;
    }

    private static String key(XlConfig.Setting setting) {
        return setting.key();
    }

    private interface ItemHandler {
        void accept(XlConfig.Setting setting, int index, String spec);
    }

    private void forEachItem(String key, ItemHandler handler) {
        var setting = file.setting(key);
        if (setting.isEmpty()) {
            return;
        }
        List<XlValue> items = switch (setting.get().value()) {
            case XlValue.Lst list -> list.items();
            case XlValue v -> List.of(v);
        };
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof XlValue.Str s)) {
                error(setting.get(), key + "[" + i + "] must be a quoted string");
                continue;
            }
            try {
                handler.accept(setting.get(), i, s.value());
            } catch (IllegalArgumentException e) {
                error(setting.get(), key + "[" + i + "] '" + s.value() + "' " + e.getMessage());
            }
        }
    }

    private int lineOf(String field) {
        return FIELD_KEYS.entrySet().stream()
            .filter(e -> field.equals(e.getKey()) || field.startsWith(e.getKey() + "[") || field.startsWith(e.getKey() + "."))
            // the most specific field first: spec.xen.pciOptions is on the pci line, not on spec.xen's
            .sorted(java.util.Comparator.comparingInt((Map.Entry<String, List<String>> e) -> e.getKey().length()).reversed())
            .flatMap(e -> e.getValue().stream())
            .flatMap(key -> file.setting(key).stream())
            .mapToInt(XlConfig.Setting::line)
            .findFirst().orElse(lastLine);
    }

    private void error(XlConfig.Setting setting, String problem) {
        in.error(setting, problem);
    }

    private void error(int line, String problem) {
        in.error(line, problem);
    }

    private String string(String key, boolean required) {
        return in.string(key, required);
    }

    private Integer integer(String key, boolean required) {
        return in.integer(key, required);
    }

    private Boolean flag(String key) {
        return in.flag(key);
    }
}
