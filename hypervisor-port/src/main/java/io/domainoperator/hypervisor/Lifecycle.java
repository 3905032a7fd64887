package io.domainoperator.hypervisor;

/**
 * What the spec asks for when the guest powers off, reboots or crashes; null when it leaves it to the default.
 * The node agent applies these itself: the xl and QEMU backends keep every stopped guest visible, and only an
 * exported xl file (for plain {@code xl create}) writes them.
 */
public record Lifecycle(Action onPoweroff, Action onReboot, Action onCrash) {
    public static final Lifecycle UNSET = new Lifecycle(null, null, null);

    public enum Action {
        RESTART,
        PRESERVE,
        DESTROY
    }
}
