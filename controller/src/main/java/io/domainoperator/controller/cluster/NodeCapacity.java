package io.domainoperator.controller.cluster;

import java.util.Objects;

/**
 * A node as placement sees it.
 *
 * @param name          node name (the node agent's identity)
 * @param alive         whether its heartbeat Lease is fresh
 * @param freeMemoryMiB memory still free for new domains: what the agent reports, minus the domains already
 *                      placed there that have not started yet
 * @param cordoned      its Node is cordoned ({@code spec.unschedulable}) or labelled for maintenance: no new domain
 *                      goes there, whatever its memory ({@link NodeMaintenance})
 */
public record NodeCapacity(String name, boolean alive, long freeMemoryMiB, boolean cordoned) {
    public NodeCapacity {
        Objects.requireNonNull(name, "name");
    }

    /** An uncordoned node. */
    public NodeCapacity(String name, boolean alive, long freeMemoryMiB) {
        this(name, alive, freeMemoryMiB, false);
    }
}
