package io.domainoperator.api.v1alpha1;

/**
 * What node drain does with a domain that cannot move live (it holds a passed-through adapter, or its drain migration
 * was refused or failed). A domain that can move live always does: it keeps running throughout.
 */
public enum DrainPolicy {
    /** The default: it keeps running on the drained node, and Draining=False (reason DrainBlocked) says why. */
    LiveMigrate,
    /** Halted on the drained node, then placed and booted on another node (a reboot, not a move). */
    HaltAndBootElsewhere,
    /** Halted and left on the drained node; booted there again once the node is uncordoned. */
    Halt
}
