package io.domainoperator.api.v1alpha1;

/**
 * The state an active domain ({@code activate: true}) is kept in: its vCPUs run, or they are paused with the guest's
 * memory kept in place ({@code xl pause}, QMP {@code stop}). Pausing and resuming are cheap and never reboot.
 */
public enum DesiredState {
    /** The guest runs (the default). */
    Running,
    /** The guest's vCPUs are stopped; it resumes where it was when set back to Running. */
    Paused
}
