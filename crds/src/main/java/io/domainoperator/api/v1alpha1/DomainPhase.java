package io.domainoperator.api.v1alpha1;

/** Where a domain is in its life, as the node agent last saw it. */
public enum DomainPhase {
    /** Accepted, not yet placed on a node (or no node fits). */
    Pending,
    /** Placed on a node; the node agent has not started it yet (e.g. waiting for startAfter). */
    Scheduled,
    /** Being created, devices being attached, or waiting to be unpaused. */
    Booting,
    /** The guest runs. */
    Running,
    /** The guest is paused on purpose. */
    Paused,
    /** The guest is saved to a file on its node (spec.desiredState Suspended); no domain runs. */
    Suspended,
    /** A shutdown was requested and the domain has not gone yet. */
    Halting,
    /** No domain exists and none should. */
    Halted,
    /** The domain cannot run: boot failed, adapter refused, invalid spec. Conditions say why and what next. */
    Broken,
    /** The node agent cannot tell (e.g. the node was lost). */
    Unknown
}
