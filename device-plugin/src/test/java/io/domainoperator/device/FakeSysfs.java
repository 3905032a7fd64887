package io.domainoperator.device;

import io.domainoperator.testing.TempTree;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A sysfs tree in a temp directory laid out as Linux lays it out, plus a small "kernel" that reacts to writes
 * the way the PCI core, pciback and vfio-pci do: a bind moves the {@code driver} link (and the driver's link
 * back), driver_override decides who drivers_probe binds to, a NIC shows {@code net/<ifname>} and a USB
 * controller its USB devices only while their host driver holds them. Reads go to the real files through
 * {@link RootedSysfs}, so discovery is tested against real files and symlinks.
 *
 * <p>Failure switches: {@link #failWhen} (a write the kernel rejects with EIO), {@link #failWriteNumbers}
 * (one-shot failures by write count) and {@link #crashAtWrite} (the agent dies before that write).
 */
public final class FakeSysfs implements Sysfs {
    private static final Pattern OVERRIDE = Pattern.compile("bus/pci/devices/([^/]+)/driver_override");
    private static final Pattern DRIVER_ATTR = Pattern.compile("bus/pci/drivers/([^/]+)/(bind|unbind|new_slot|remove_slot|new_id)");

    /** One PCI function of the fake machine and what the kernel would match it with. */
    record Dev(String address, int classCode, String vendor, String device, int group, String hostDriver,
               String ifname, List<UsbChild> usb) {
        String dir() {
            return "devices/pci0000:00/" + address;
        }
    }

    record UsbChild(String address, String vendor, String product, String name) {
    }

    final Path root;
    private final RootedSysfs files;
    private final TempTree tree;
    private final Map<String, Dev> devs = new LinkedHashMap<>();
    private final Map<String, String> bound = new LinkedHashMap<>();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Set<String> slots = new LinkedHashSet<>();
    private final Set<String> dynamicIds = new HashSet<>();
    private final FakeModules modules;
    private final WriteFaults faults = new WriteFaults();
    /** Kernels before 5.x: pciback ignores driver_override and claims only devices in its slot list. */
    boolean pcibackHonoursOverride = true;

    FakeSysfs(Path root) {
        this.root = root;
        this.files = new RootedSysfs(root);
        this.tree = new TempTree(root);
        this.modules = new FakeModules(tree, this::registerDriver, driver -> {
            devs.values().stream().filter(d -> driver.equals(bound.get(d.address()))).toList().forEach(this::unbind);
            tree.delete("bus/pci/drivers/" + driver);
        });
        tree.mkdirs("bus/pci/devices");
        tree.mkdirs("bus/pci/drivers");
        tree.mkdirs("bus/usb/devices");
        tree.mkdirs("kernel/iommu_groups");
        tree.mkdirs("module");
        tree.file("bus/pci/drivers_probe", "");
        tree.file("bus/pci/rescan", "");
    }

    // ---- laying out the machine ----

    /** A module the kernel can load, and the PCI drivers it registers; deps are loaded first by modprobe. */
    FakeSysfs module(String module, List<String> pciDrivers, List<String> deps) {
        modules.define(module, pciDrivers, deps);
        return this;
    }

    /** This kernel was built without the module: modprobe reports it missing. */
    FakeSysfs withoutModule(String module) {
        modules.forget(module);
        return this;
    }

    /** A driver built into the kernel: always registered, no module to remove. */
    FakeSysfs builtin(String driver) {
        registerDriver(driver);
        return this;
    }

    FakeSysfs pci(String address, int classCode, String vendor, String device, int group, String hostDriver,
                  String ifname, List<UsbChild> usb) {
        Dev d = new Dev(address, classCode, vendor, device, group, hostDriver, ifname, List.copyOf(usb));
        devs.put(address, d);
        tree.mkdirs(d.dir());
        tree.file(d.dir() + "/class", String.format("0x%06x", classCode));
        tree.file(d.dir() + "/vendor", "0x" + vendor);
        tree.file(d.dir() + "/device", "0x" + device);
        tree.file(d.dir() + "/driver_override", "(null)");
        tree.file(d.dir() + "/uevent", "PCI_SLOT_NAME=" + address);
        if (group >= 0) { // a negative group: the IOMMU is off (or Xen owns it), no iommu_group link
            tree.mkdirs("kernel/iommu_groups/" + group + "/devices");
            tree.link(d.dir() + "/iommu_group", "../../../kernel/iommu_groups/" + group);
            tree.link("kernel/iommu_groups/" + group + "/devices/" + address, "../../../../devices/pci0000:00/" + address);
        }
        tree.link("bus/pci/devices/" + address, "../../../devices/pci0000:00/" + address);
        probe(d); // as at boot
        return this;
    }

    FakeSysfs pci(String address, int classCode, String vendor, String device, int group, String hostDriver) {
        return pci(address, classCode, vendor, device, group, hostDriver, null, List.of());
    }

    // ---- what tests look at and switch ----

    public String driverOf(String address) {
        return bound.get(address);
    }

    Map<String, String> bindings() {
        Map<String, String> m = new LinkedHashMap<>();
        devs.keySet().forEach(a -> m.put(a, bound.get(a)));
        return m;
    }

    Set<String> slots() {
        return Set.copyOf(slots);
    }

    Set<String> loadedModules() {
        return modules.loaded();
    }

    List<String> writes() {
        return faults.writes();
    }

    int writeCount() {
        return faults.count();
    }

    void failWhen(Predicate<String> pathAndValue) {
        faults.failWhen(pathAndValue);
    }

    /** Writes with these 1-based numbers fail once each with EIO. */
    void failWriteNumbers(Set<Integer> numbers) {
        faults.failWriteNumbers(numbers);
    }

    void crashAtWrite(int number) {
        faults.crashAtWrite(number);
    }

    /** The agent dies just before the first write matching "path=value". */
    void crashBefore(Predicate<String> pathAndValue) {
        faults.crashBefore(pathAndValue);
    }

    void healthy() {
        faults.healthy();
    }

    // ---- Sysfs ----

    @Override
    public Optional<String> read(String path) {
        return files.read(path);
    }

    @Override
    public List<String> list(String dir) {
        return files.list(dir);
    }

    @Override
    public Optional<String> readlink(String path) {
        return files.readlink(path);
    }

    @Override
    public boolean exists(String path) {
        return files.exists(path);
    }

    @Override
    public void write(String path, String value) {
        faults.beforeWrite(path, value.strip());
        if (!files.exists(path)) {
            throw new SysfsException(path, "no such attribute", null);
        }
        if (faults.refuses(path, value.strip())) {
            throw new SysfsException(path, "kernel refused '" + value.strip() + "' (Input/output error)", null);
        }
        String v = value.strip();
        Matcher m;
        if ((m = OVERRIDE.matcher(path)).matches()) {
            Dev d = dev(path, m.group(1));
            if (v.isEmpty()) {
                overrides.remove(d.address());
                tree.file(d.dir() + "/driver_override", "(null)");
            } else {
                overrides.put(d.address(), v);
                tree.file(d.dir() + "/driver_override", v);
            }
        } else if ((m = DRIVER_ATTR.matcher(path)).matches()) {
            driverAttribute(path, m.group(1), m.group(2), v);
        } else if (path.equals("bus/pci/drivers_probe")) {
            Dev d = dev(path, v);
            if (!bound.containsKey(d.address())) {
                probe(d);
            }
        } else {
            throw new UnsupportedOperationException("the fake kernel does not model writes to " + path);
        }
    }

    private void driverAttribute(String path, String driver, String attr, String v) {
        switch (attr) {
            case "bind" -> {
                Dev d = dev(path, v);
                if (bound.containsKey(d.address())) {
                    throw new SysfsException(path, "Device or resource busy", null);
                }
                if (!matches(driver, d)) {
                    throw new SysfsException(path, "No such device", null);
                }
                if (!bind(d, driver)) {
                    throw new SysfsException(path, "probe of " + d.address() + " by " + driver + " failed (Input/output error)", null);
                }
            }
            case "unbind" -> {
                Dev d = dev(path, v);
                if (!driver.equals(bound.get(d.address()))) {
                    throw new SysfsException(path, "No such device", null);
                }
                unbind(d);
            }
            case "new_slot" -> {
                slots.add(v);
                syncSlots();
            }
            case "remove_slot" -> {
                if (!slots.remove(v)) {
                    throw new SysfsException(path, "No such file or directory", null);
                }
                syncSlots();
            }
            case "new_id" -> {
                String[] ids = v.split("\\s+");
                dynamicIds.add(driver + " " + ids[0] + ":" + ids[1]);
                devs.values().stream().filter(d -> !bound.containsKey(d.address()) && matches(driver, d))
                    .forEach(d -> bind(d, driver));
            }
            default -> throw new IllegalStateException(attr);
        }
    }

    // ---- the kernel's behaviour ----

    private boolean matches(String driver, Dev d) {
        String override = overrides.get(d.address());
        if (override != null && !override.equals(driver)) {
            return false;
        }
        boolean dynamic = dynamicIds.contains(driver + " " + d.vendor() + ":" + d.device());
        return switch (driver) {
            case "pciback" -> slots.contains(d.address()) || (pcibackHonoursOverride && "pciback".equals(override));
            // vfio_pci_probe() fails without an IOMMU group.
            case "vfio-pci" -> ("vfio-pci".equals(override) || dynamic) && d.group() >= 0;
            default -> driver.equals(d.hostDriver()) || dynamic;
        };
    }

    /** device_attach(): the first registered driver that matches. */
    private void probe(Dev d) {
        String override = overrides.get(d.address());
        List<String> candidates = override != null ? List.of(override)
            : Stream.concat(Stream.ofNullable(d.hostDriver()), files.list("bus/pci/drivers").stream()).toList();
        for (String driver : candidates) {
            if (files.exists("bus/pci/drivers/" + driver) && matches(driver, d)) {
                bind(d, driver);
                return; // a failed probe() ends device_attach() too: the device stays unbound
            }
        }
    }

    private boolean bind(Dev d, String driver) {
        if (faults.failsProbe(driver, d.address())) {
            return false; // the driver's probe() failed: the device stays unbound, as the kernel leaves it
        }
        bound.put(d.address(), driver);
        tree.link(d.dir() + "/driver", "../../../bus/pci/drivers/" + driver);
        tree.link("bus/pci/drivers/" + driver + "/" + d.address(), "../../../../devices/pci0000:00/" + d.address());
        if (driver.equals(d.hostDriver())) {
            if (d.ifname() != null) {
                tree.mkdirs(d.dir() + "/net/" + d.ifname());
            }
            if (!d.usb().isEmpty()) {
                String bus = d.usb().getFirst().address().split("-")[0];
                String hub = d.dir() + "/usb" + bus;
                tree.mkdirs(hub);
                tree.file(hub + "/idVendor", "1d6b");
                tree.file(hub + "/idProduct", "0003");
                tree.link("bus/usb/devices/usb" + bus, "../../../" + hub);
                for (UsbChild c : d.usb()) {
                    tree.mkdirs(hub + "/" + c.address());
                    tree.file(hub + "/" + c.address() + "/idVendor", c.vendor());
                    tree.file(hub + "/" + c.address() + "/idProduct", c.product());
                    tree.file(hub + "/" + c.address() + "/product", c.name());
                    tree.link("bus/usb/devices/" + c.address(), "../../../" + hub + "/" + c.address());
                    tree.mkdirs(hub + "/" + c.address() + "/" + c.address() + ":1.0");
                    tree.link("bus/usb/devices/" + c.address() + ":1.0", "../../../" + hub + "/" + c.address() + "/" + c.address() + ":1.0");
                }
            }
        }
        return true;
    }

    private void unbind(Dev d) {
        String driver = bound.remove(d.address());
        tree.delete(d.dir() + "/driver");
        tree.delete("bus/pci/drivers/" + driver + "/" + d.address());
        tree.delete(d.dir() + "/net");
        if (!d.usb().isEmpty()) {
            String bus = d.usb().getFirst().address().split("-")[0];
            tree.delete("bus/usb/devices/usb" + bus);
            for (UsbChild c : d.usb()) {
                tree.delete("bus/usb/devices/" + c.address());
                tree.delete("bus/usb/devices/" + c.address() + ":1.0");
            }
            tree.delete(d.dir() + "/usb" + bus);
        }
    }

    private void registerDriver(String driver) {
        String dir = "bus/pci/drivers/" + driver;
        tree.mkdirs(dir);
        for (String attr : List.of("bind", "unbind", "new_id", "remove_id", "uevent")) {
            tree.file(dir + "/" + attr, "");
        }
        if (driver.equals("pciback")) {
            tree.file(dir + "/new_slot", "");
            tree.file(dir + "/remove_slot", "");
            syncSlots();
        }
        devs.values().stream().filter(d -> !bound.containsKey(d.address())).forEach(d -> {
            if (matches(driver, d)) {
                bind(d, driver);
            }
        });
    }

    /** modprobe: deps first; registering a driver probes every unbound device it matches. */
    boolean loadModule(String module) {
        return modules.load(module);
    }

    /** rmmod: null when done, else rmmod's error message. */
    String unloadModule(String module) {
        return modules.unload(module);
    }

    private void syncSlots() {
        if (files.exists("bus/pci/drivers/pciback")) {
            tree.file("bus/pci/drivers/pciback/slots", String.join("\n", slots) + (slots.isEmpty() ? "" : "\n"));
        }
    }

    private Dev dev(String path, String address) {
        Dev d = devs.get(address);
        if (d == null) {
            throw new SysfsException(path, "No such device (" + address + ")", null);
        }
        return d;
    }
}
