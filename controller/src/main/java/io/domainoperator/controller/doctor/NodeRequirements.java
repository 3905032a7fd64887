package io.domainoperator.controller.doctor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the node is asked to run, as far as the host is concerned.
 *
 * @param hypervisor  the {@code --hypervisor} value, null to auto-detect as the agent does
 * @param bridges     host bridges the domains' vifs name (none with QEMU user networking)
 * @param passthrough whether PCI/USB passthrough is asked for ({@code --device-passthrough} or a domain's adapters)
 * @param stateDir    journal and runtime state
 * @param imageRoot   where per-domain disk copies go
 */
public record NodeRequirements(String hypervisor, SortedSet<String> bridges, boolean passthrough, Path stateDir, Path imageRoot) {
    public NodeRequirements {
        bridges = new TreeSet<>(bridges);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(imageRoot, "imageRoot");
    }

    public static NodeRequirements of(String hypervisor, Set<String> bridges, boolean passthrough, Path stateDir, Path imageRoot) {
        return new NodeRequirements(hypervisor, new TreeSet<>(bridges), passthrough, stateDir, imageRoot);
    }
}
