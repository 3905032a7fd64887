package io.domainoperator.hypervisor;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a backend needs to create one domain: the spec plus what the node agent resolved for it.
 *
 * @param name          name on the hypervisor (spec.displayName)
 * @param uuid          uuid in use (spec.uuid or the one the agent picked)
 * @param spec          the desired configuration
 * @param diskPaths     one path per {@code spec.disks} entry, after per-domain copies (same order)
 * @param pciAddresses  long-form PCI addresses of the passed-through adapters, already in pciback/vfio-pci
 */
public record DomainDefinition(String name, UUID uuid, DomainConfigSpec spec, List<String> diskPaths,
                               List<String> pciAddresses) {
    public DomainDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(spec, "spec");
        diskPaths = List.copyOf(diskPaths);
        pciAddresses = List.copyOf(pciAddresses);
        if (diskPaths.size() != spec.getDisks().size()) {
            throw new IllegalArgumentException("diskPaths has " + diskPaths.size() + " entries for "
                + spec.getDisks().size() + " disks in spec.disks");
        }
    }

    /** Memory the guest starts with ({@code spec.memoryMiB}). */
    public MemorySize memory() {
        return MemorySize.ofMiB(spec.getMemoryMiB());
    }

    /** Memory the guest may balloon up to ({@code spec.maxMemoryMiB}, else {@code spec.memoryMiB}). */
    public MemorySize maxMemory() {
        return MemorySize.ofMiB(spec.effectiveMaxMemoryMiB());
    }

    /** A definition whose disks are used in place, without passthrough. */
    public static DomainDefinition of(String name, UUID uuid, DomainConfigSpec spec) {
        return new DomainDefinition(name, uuid, spec,
            spec.getDisks().stream().map(d -> d.getSource() == null ? "" : d.getSource()).toList(), List.of()); // "": an empty CD-ROM drive
    }
}
