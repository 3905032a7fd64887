package io.domainoperator.device;

/**
 * A group move that did not happen.
 *
 * @param address    the device whose step failed
 * @param step       the sysfs step, e.g. {@code unbind}, {@code drivers_probe}, {@code bind}, {@code verify}
 * @param message    what the kernel said
 * @param rolledBack every device of the group is back with the driver it had before; when false, the devices
 *                   that could not go back were left in the passthrough driver rather than unbound, and the
 *                   journal keeps the rollback pending so that the next call retries it
 */
public record MoveFailure(String address, String step, String message, boolean rolledBack) {
    /** One sentence for a condition message or an event. */
    public String describe() {
        return "moving " + address + " failed at step " + step + ": " + message
            + (rolledBack ? "; the group was rolled back to its previous drivers"
                          : "; rollback is incomplete and will be retried");
    }
}
