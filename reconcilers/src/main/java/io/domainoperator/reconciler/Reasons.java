package io.domainoperator.reconciler;

/**
 * Condition and event reasons the engine needs beyond {@link io.domainoperator.api.v1alpha1.Conditions}. Kept here,
 * in the engine's module, until they earn a place in the API types.
 */
public final class Reasons {
    /** Event: the domain's guest runs (a boot completed, or a running domain was adopted). */
    public static final String STARTED = "Started";
    /** A domain with this DomainConfig's name exists on the node and was not created by the operator. */
    public static final String DOMAIN_NAME_IN_USE = "DomainNameInUse";
    /** The guest was suspended (saved); it is left alone until resumed or halted. */
    public static final String SUSPENDED = "Suspended";
    /** A domain is going away (Xen's dying flag); nothing to do but wait. */
    public static final String DYING = "Dying";
    /** Halting waits for the domains that name this one in startAfter to halt first. */
    public static final String WAITING_FOR_DEPENDENTS = "WaitingForDependents";
    /** A step outside the boot sequence (shutdown, destroy, release, cleanup) failed; it is retried shortly. */
    public static final String OPERATION_FAILED = "OperationFailed";

    /** Rule 11: the node has not enough free memory for the domain now; it boots when memory frees up. */
    public static final String INSUFFICIENT_MEMORY = "InsufficientMemory";

    /** Rule 12: the domain was started by another backend, which this agent cannot see or stop. */
    public static final String STARTED_BY_OTHER_BACKEND = "StartedByOtherBackend";

    /** Rule 12: the domain was started by a newer agent on this backend; this older one only observes it. */
    public static final String STARTED_BY_NEWER_AGENT = "StartedByNewerAgent";

    /** Orphan decisions (no DomainConfig): shown in logs only, there is no status to write. */
    public static final String ORPHANED = "Orphaned";

    private Reasons() {
    }
}
