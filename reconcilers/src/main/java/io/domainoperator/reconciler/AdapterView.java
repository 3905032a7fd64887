package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import java.util.Objects;

/**
 * One adapter a domain names in {@code spec.adapters}, as the controller sees it right now.
 *
 * @param name              the PhysicalIOAdapter's name
 * @param spec              its spec, or null when no such PhysicalIOAdapter exists on the node
 * @param heldBy            {@code ns/name} of the DomainConfig holding it ({@code status.assignedTo}), or null; a
 *                          create passes an adapter through only when this names the domain itself
 * @param holderRunning     whether that holder has a domain on the node in any state (booting, running, paused,
 *                          stopped): only the hold of a holder without a domain may be taken over
 * @param dom0ManagementPort the host reaches the cluster through this device; it is never passed through
 */
public record AdapterView(String name, PhysicalIOAdapterSpec spec, String heldBy, boolean holderRunning,
                          boolean dom0ManagementPort) {

    public AdapterView {
        Objects.requireNonNull(name, "name");
    }

    public static AdapterView free(String name, PhysicalIOAdapterSpec spec) {
        return new AdapterView(name, spec, null, false, false);
    }
}
