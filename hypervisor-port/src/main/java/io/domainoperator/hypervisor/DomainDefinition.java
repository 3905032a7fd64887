package io.domainoperator.hypervisor;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a backend needs to create one domain, as immutable values: the desired configuration plus what
 * the node agent resolved for it (disk paths after per-domain copies, PCI functions already bound for
 * passthrough). The port knows no API type: {@code hypervisor-adapter}'s {@code DefinitionFromSpec} builds a
 * definition from a DomainConfig spec, in one place.
 *
 * @param name       name on the hypervisor (spec.displayName)
 * @param uuid       uuid in use (spec.uuid or the one the agent picked)
 * @param uuidGiven  whether the spec names the uuid (an exported xl file leaves a picked one out)
 * @param disks      in the spec's order
 * @param nics       in the spec's order
 * @param pciDevices in the spec's order of adapters
 */
public record DomainDefinition(String name, UUID uuid, boolean uuidGiven, Machine machine, CpuMemory cpuMemory,
                               KernelBoot boot, List<DiskDevice> disks, List<NicDevice> nics,
                               List<PciDevice> pciDevices, Console console, XenOptions xen, Lifecycle lifecycle) {
    public DomainDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(cpuMemory, "cpuMemory");
        Objects.requireNonNull(boot, "boot");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        pciDevices = List.copyOf(pciDevices);
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(xen, "xen");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** Memory the guest starts with. */
    public MemorySize memory() {
        return cpuMemory.memory();
    }

    /** Memory the guest may balloon up to. */
    public MemorySize maxMemory() {
        return cpuMemory.effectiveMaxMemory();
    }

    /** The disks' image paths, in order. */
    public List<String> diskPaths() {
        return disks.stream().map(DiskDevice::path).toList();
    }

    /** The passed-through PCI functions' long-form addresses, in order. */
    public List<String> pciAddresses() {
        return pciDevices.stream().map(PciDevice::address).toList();
    }
}
