package io.domainoperator.controller.cluster;

import java.util.List;
import java.util.Objects;

/**
 * An unplaced, valid DomainConfig waiting for a node.
 *
 * @param key       {@code namespace/name}
 * @param memoryMiB memory to reserve: the spec's maxMemoryMiB (or memoryMiB)
 * @param adapters  names of the PhysicalIOAdapters it asks for
 */
public record DomainRequest(String key, long memoryMiB, List<String> adapters) {
    public DomainRequest {
        Objects.requireNonNull(key, "key");
        adapters = List.copyOf(adapters);
    }
}
