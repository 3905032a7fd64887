package io.domainoperator.device;

import java.util.Objects;
import java.util.Set;

/**
 * What the node tells the agent about the host's own needs.
 *
 * @param managementPorts interface names dom0 uses for its management network (EVE's DeviceNetworkStatus);
 *                        those NICs never leave the host
 * @param usbDebugEnabled the {@code debug.enable.usb} knob: true keeps USB controllers (and the USB modules)
 *                        in the host, false sends free controllers to the passthrough driver
 */
public record HostPolicy(Set<String> managementPorts, boolean usbDebugEnabled) {
    public HostPolicy {
        managementPorts = Set.copyOf(Objects.requireNonNull(managementPorts, "managementPorts"));
    }

    public HostPolicy withUsbDebug(boolean enabled) {
        return new HostPolicy(managementPorts, enabled);
    }
}
