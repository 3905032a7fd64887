package io.domainoperator.api.v1alpha1;

/**
 * The state an active domain ({@code activate: true}) is kept in: its vCPUs run, or they are paused with the guest's
 * memory kept in place ({@code xl pause}, QMP {@code stop}), or it is saved to disk (suspended). None of the three
 * changes reboots the guest.
 */
public enum DesiredState {
    /** The guest runs (the default). */
    Running,
    /** The guest's vCPUs are stopped; it resumes where it was when set back to Running. */
    Paused,
    /**
     * The guest is saved to a file on its node and the domain ends (xl save, QEMU's migration to a file): no memory
     * or CPU held. Set back to Running, it is restored and goes on where it was.
     */
    Suspended
}
