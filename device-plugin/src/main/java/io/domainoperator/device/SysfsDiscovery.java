package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads PCI and USB devices out of sysfs. Stateless: every call looks again. */
public final class SysfsDiscovery {
    static final String PCI_DEVICES = "bus/pci/devices";
    static final String USB_DEVICES = "bus/usb/devices";
    private static final Pattern PCI_ADDRESS = Pattern.compile(Patterns.PCI_ADDRESS);
    private static final Pattern USB_ADDRESS = Pattern.compile(Patterns.USB_ADDRESS);

    private final Sysfs sysfs;

    public SysfsDiscovery(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    public HostDevices scan() {
        List<PciDevice> pci = new ArrayList<>();
        for (String address : sysfs.list(PCI_DEVICES)) {
            if (PCI_ADDRESS.matcher(address).matches()) {
                pci(address).ifPresent(pci::add);
            }
        }
        List<UsbDevice> usb = new ArrayList<>();
        // Root hubs are "usbN" and interfaces "1-2:1.0"; only the bus-port names are devices a user plugged in.
        for (String address : sysfs.list(USB_DEVICES)) {
            if (USB_ADDRESS.matcher(address).matches()) {
                usb(address).ifPresent(usb::add);
            }
        }
        return new HostDevices(pci, usb);
    }

    /** One PCI function, or empty when it is not (or no longer) there. */
    public Optional<PciDevice> pci(String address) {
        String dir = PCI_DEVICES + "/" + address;
        Optional<String> cls = sysfs.read(dir + "/class");
        if (cls.isEmpty()) {
            return Optional.empty();
        }
        Integer group = sysfs.linkName(dir + "/iommu_group").map(Integer::valueOf).orElse(null);
        List<String> nets = sysfs.list(dir + "/net");
        String override = sysfs.read(dir + "/driver_override").filter(SysfsDiscovery::isSet).orElse(null);
        return Optional.of(new PciDevice(address, parseHex(dir + "/class", cls.get()),
            hexId(sysfs.read(dir + "/vendor").orElse("")), hexId(sysfs.read(dir + "/device").orElse("")),
            driverOf(address).orElse(null), group, nets.isEmpty() ? null : nets.getFirst(), override));
    }

    /** The driver bound to a PCI function, read from its {@code driver} link. */
    public Optional<String> driverOf(String address) {
        return sysfs.linkName(PCI_DEVICES + "/" + address + "/driver");
    }

    private Optional<UsbDevice> usb(String address) {
        String dir = USB_DEVICES + "/" + address;
        Optional<String> vendor = sysfs.read(dir + "/idVendor");
        Optional<String> product = sysfs.read(dir + "/idProduct");
        if (vendor.isEmpty() || product.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UsbDevice(address, vendor.get().toLowerCase(Locale.ROOT),
            product.get().toLowerCase(Locale.ROOT), sysfs.read(dir + "/product").orElse(null)));
    }

    /** The kernel shows an unset driver_override as "(null)". */
    static boolean isSet(String override) {
        return !override.isBlank() && !override.equals("(null)");
    }

    private static String hexId(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("0x") ? s.substring(2) : s;
    }

    private static int parseHex(String path, String raw) {
        try {
            return Integer.parseInt(hexId(raw), 16);
        } catch (NumberFormatException e) {
            throw new SysfsException(path, "expected a hex class code like 0x020000, found '" + raw + "'", e);
        }
    }
}
