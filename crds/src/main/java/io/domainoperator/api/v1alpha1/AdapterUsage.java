package io.domainoperator.api.v1alpha1;

/** Who may use an adapter (EVE's usage). */
public enum AdapterUsage {
    /** The host (dom0) uses it, e.g. the management NIC. Never passed through. */
    Dom0,
    /** Reserved for passthrough to one domain at a time. */
    App,
    /** The host uses it and may lend it to a domain. */
    Shared
}
