package io.domainoperator.controller.cluster;

import java.util.Objects;

/**
 * A PhysicalIOAdapter as placement sees it.
 *
 * @param name     object name, what {@code spec.adapters} lists
 * @param nodeName node the device is in
 * @param refusal  why the device is never passed through (kept in host, host-only, radio), or null
 * @param holder   {@code namespace/name} of the DomainConfig that holds or has claimed it, or null when free
 */
public record AdapterView(String name, String nodeName, String refusal, String holder) {
    public AdapterView {
        Objects.requireNonNull(name, "name");
    }

    AdapterView heldBy(String key) {
        return new AdapterView(name, nodeName, refusal, key);
    }
}
