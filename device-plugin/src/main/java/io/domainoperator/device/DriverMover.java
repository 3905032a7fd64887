package io.domainoperator.device;

import java.util.Objects;

/**
 * Moves one PCI function between drivers with sysfs writes, the way libxl and EVE do. Each method looks at the
 * device first and skips what is already done, so running it twice, or again after a crash anywhere inside it,
 * ends in the same place.
 */
final class DriverMover {
    /** Told before every sysfs write, so the journal can say where a crash happened. */
    interface StepListener {
        void beforeStep(String address, String step);
    }

    private static final String DRIVERS = "bus/pci/drivers/";
    private static final String CLEAR = "\n";

    private final Sysfs sysfs;
    private final SysfsDiscovery discovery;
    private final PassthroughDriver target;
    private final StepListener listener;

    DriverMover(Sysfs sysfs, PassthroughDriver target, StepListener listener) {
        this.sysfs = sysfs;
        this.discovery = new SysfsDiscovery(sysfs);
        this.target = target;
        this.listener = listener;
    }

    /**
     * driver_override first, so that nothing but the passthrough driver can claim the device once it is
     * unbound (not even a host driver's hotplug probe racing with us), then unbind, then let the kernel probe.
     */
    void toPassthrough(String address) {
        String current = driver(address);
        if (!target.name().equals(override(address))) {
            write(address, "driver_override", device(address) + "/driver_override", target.name());
        }
        if (target.name().equals(current)) {
            return;
        }
        if (target.wantsSlots() && !inSlots(address)) {
            write(address, "new_slot", DRIVERS + target.name() + "/new_slot", address);
        }
        if (current != null) {
            write(address, "unbind", DRIVERS + current + "/unbind", address);
        }
        write(address, "drivers_probe", "bus/pci/drivers_probe", address);
        String now = driver(address);
        if (now == null) {
            write(address, "bind", DRIVERS + target.name() + "/bind", address);
            now = driver(address);
        }
        if (!target.name().equals(now)) {
            throw new MoveException(address, "verify", "expected driver " + target.name() + " but found "
                + (now == null ? "none" : now), null);
        }
    }

    /** The reverse: clear the override, leave the passthrough driver, and let the host driver probe it. */
    void toHost(String address, String hostDriverHint) {
        String current = driver(address);
        if (override(address) != null) {
            write(address, "driver_override", device(address) + "/driver_override", CLEAR);
        }
        if (current != null && !target.name().equals(current)) {
            return;
        }
        if (current != null) {
            write(address, "unbind", DRIVERS + current + "/unbind", address);
        }
        // After the unbind: an older pciback still claims any device in its slot list on the next probe.
        if (target.wantsSlots() && inSlots(address)) {
            write(address, "remove_slot", DRIVERS + target.name() + "/remove_slot", address);
        }
        write(address, "drivers_probe", "bus/pci/drivers_probe", address);
        String now = driver(address);
        // A driver that matched through new_id or a manual bind is not found by a probe; bind it by name.
        if (now == null && hostDriverHint != null && !hostDriverHint.equals(target.name())
            && sysfs.exists(DRIVERS + hostDriverHint + "/bind")) {
            write(address, "bind", DRIVERS + hostDriverHint + "/bind", address);
            now = driver(address);
        }
        if (now == null || now.equals(target.name())) {
            throw new MoveException(address, "verify", "no host driver claimed it"
                + (hostDriverHint == null ? "" : " (expected " + hostDriverHint + ")"), null);
        }
    }

    /** Back to where a move found it: the passthrough driver, a host driver, or (if it had none) unbound. */
    void restore(String address, String driver) {
        if (target.name().equals(driver)) {
            toPassthrough(address);
        } else if (driver != null) {
            toHost(address, driver);
        } else {
            toUnbound(address);
        }
    }

    private void toUnbound(String address) {
        if (override(address) != null) {
            write(address, "driver_override", device(address) + "/driver_override", CLEAR);
        }
        String current = driver(address);
        if (current != null) {
            write(address, "unbind", DRIVERS + current + "/unbind", address);
        }
        if (target.wantsSlots() && inSlots(address)) {
            write(address, "remove_slot", DRIVERS + target.name() + "/remove_slot", address);
        }
    }

    String driver(String address) {
        return discovery.driverOf(address).orElse(null);
    }

    private String override(String address) {
        return sysfs.read(device(address) + "/driver_override").filter(SysfsDiscovery::isSet).orElse(null);
    }

    private boolean inSlots(String address) {
        return sysfs.read(DRIVERS + target.name() + "/slots").orElse("").lines()
            .anyMatch(l -> l.strip().equals(address));
    }

    private void write(String address, String step, String path, String value) {
        listener.beforeStep(address, step + " " + path);
        try {
            sysfs.write(path, value);
        } catch (SysfsException e) {
            throw new MoveException(address, step, e.getMessage(), e);
        }
    }

    private static String device(String address) {
        return SysfsDiscovery.PCI_DEVICES + "/" + Objects.requireNonNull(address, "address");
    }
}
