package io.domainoperator.api.v1alpha1;

/** What happens when the guest powers off, reboots or crashes (xl's on_poweroff/on_reboot/on_crash). */
public enum LifecyclePolicy {
    /** Boot the domain again. */
    Restart,
    /** Keep the dead domain for inspection; the operator does not touch it until the spec changes. */
    Preserve,
    /** Tear the domain down and leave it halted. */
    Destroy;

    /** The value xl expects. */
    public String xlValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
