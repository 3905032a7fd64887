package io.domainoperator.api.v1alpha1;

/**
 * What the node agent does with a running domain when its node shuts down (the host unit's halt-all), as the
 * xendomains script's {@code XENDOMAINS_SAVE} does per host, here per domain.
 */
public enum HostShutdownPolicy {
    /** Shut the guest down gracefully (forced after its timeout); it boots afresh when the node is back (default). */
    Halt,
    /**
     * Save the guest to a file in the agent's state directory and end the domain; when the agent starts again the
     * guest is restored where it was, not rebooted. A restore that fails falls back to a boot and says so.
     */
    Save
}
