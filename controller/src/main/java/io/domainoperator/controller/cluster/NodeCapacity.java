package io.domainoperator.controller.cluster;

import java.util.Objects;

/**
 * A node as placement sees it.
 *
 * @param name          node name (the node agent's identity)
 * @param alive         whether its heartbeat Lease is fresh
 * @param freeMemoryMiB memory still free for new domains: what the agent reports, minus the domains already
 *                      placed there that have not started yet
 */
public record NodeCapacity(String name, boolean alive, long freeMemoryMiB) {
    public NodeCapacity {
        Objects.requireNonNull(name, "name");
    }
}
