package io.domainoperator.device;

import java.util.Objects;

/**
 * One device's part of a journaled move.
 *
 * @param address long-form PCI address
 * @param from    the driver it was bound to before the move (null if unbound): where a rollback returns it
 * @param to      where the move takes it
 */
public record DeviceMove(String address, String from, Destination to) {
    public enum Destination {
        /** Bound to the passthrough driver (pciback or vfio-pci). */
        PASSTHROUGH,
        /** Bound to a host driver, re-probed by the kernel. */
        HOST
    }

    public DeviceMove {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(to, "to");
    }
}
