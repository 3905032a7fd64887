package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import java.util.Objects;

/**
 * What the DomainConfig asks for, as the controller read it. A domain of ours whose DomainConfig is gone (an
 * orphan) has no DesiredDomain; it goes through {@link DomainDecider#decideOrphan} instead.
 *
 * @param namespace          the DomainConfig's namespace
 * @param name               the DomainConfig's name
 * @param generation         metadata.generation; a change releases a preserved or policy-halted domain
 * @param spec               the spec (not modified by the engine)
 * @param deletionRequested  metadata.deletionTimestamp is set: halt, release, clean up, then {@code ForgetDomain}
 * @param lastStatus         the status last written, or null before the first write
 */
public record DesiredDomain(String namespace, String name, long generation, DomainConfigSpec spec,
                            boolean deletionRequested, DomainConfigStatus lastStatus) {

    public DesiredDomain {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
    }

    /** {@code namespace/name}, the key journals, adapters ({@code assignedTo}) and log lines use. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The halt wish: deletion, or {@code activate: false}. */
    public boolean wantsHalt() {
        return deletionRequested || !spec.isActive();
    }
}
