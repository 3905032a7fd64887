package io.domainoperator.hypervisor.spec;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.api.v1alpha1.XenPciOptions;
import io.domainoperator.api.v1alpha1.XenSettings;
import io.domainoperator.hypervisor.Console;
import io.domainoperator.hypervisor.CpuMemory;
import io.domainoperator.hypervisor.DiskDevice;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.GuestType;
import io.domainoperator.hypervisor.KernelBoot;
import io.domainoperator.hypervisor.Lifecycle;
import io.domainoperator.hypervisor.Machine;
import io.domainoperator.hypervisor.MemorySize;
import io.domainoperator.hypervisor.NicDevice;
import io.domainoperator.hypervisor.PciDevice;
import io.domainoperator.hypervisor.XenOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one place a DomainConfig spec becomes the port's {@link DomainDefinition}: the node agent calls it before
 * every create, {@code export-xl} and {@code import-xl} before rendering. The spec's defaults are read through
 * its own {@code ...OrDefault} methods, so they stay written once, in the API.
 *
 * <p>The spec must have passed {@code DomainConfigValidator} for its structure (vcpus, memoryMiB, no null
 * list entries); the values themselves are checked again by each backend, which names the spec field it
 * refuses.
 */
public final class DefinitionFromSpec {
    private DefinitionFromSpec() {
    }

    /**
     * @param diskPaths    one path per {@code spec.disks} entry, after per-domain copies (same order)
     * @param pciAddresses long-form PCI addresses of the passed-through adapters (order of {@code spec.adapters})
     * @throws IllegalArgumentException naming the spec field that has no value the definition can carry
     */
    public static DomainDefinition of(String name, UUID uuid, DomainConfigSpec spec, List<String> diskPaths,
                                      List<String> pciAddresses) {
        if (diskPaths.size() != spec.getDisks().size()) {
            throw new IllegalArgumentException("diskPaths has " + diskPaths.size() + " entries for "
                + spec.getDisks().size() + " disks in spec.disks");
        }
        return new DomainDefinition(name, uuid, spec.getUuid() != null,
            new Machine(guestType(spec), spec.getAcpi(), spec.getLocaltime()), cpuMemory(spec),
            new KernelBoot(spec.getKernel(), spec.getRamdisk(), spec.getCmdline(), spec.getBootOrder()),
            disks(spec.getDisks(), diskPaths), nics(spec.getVifs()), pciDevices(spec.getAdapters(), pciAddresses),
            console(spec), xen(spec.getXen()),
            new Lifecycle(action(spec.getOnPoweroff()), action(spec.getOnReboot()), action(spec.getOnCrash())));
    }

    /** A definition whose disks are used in place (an empty CD-ROM drive has the path ""), without passthrough. */
    public static DomainDefinition inPlace(String name, UUID uuid, DomainConfigSpec spec) {
        return of(name, uuid, spec, spec.getDisks().stream()
            .map(d -> d == null || d.getSource() == null ? "" : d.getSource()).toList(), List.of());
    }

    private static GuestType guestType(DomainConfigSpec spec) {
        return GuestType.valueOf(spec.modeOrDefault().name());
    }

    private static CpuMemory cpuMemory(DomainConfigSpec spec) {
        if (spec.getVcpus() == null) {
            throw new IllegalArgumentException("spec.vcpus is required");
        }
        if (spec.getMemoryMiB() == null) {
            throw new IllegalArgumentException("spec.memoryMiB is required");
        }
        return new CpuMemory(spec.getVcpus(), spec.getMaxVcpus(), MemorySize.ofMiB(spec.getMemoryMiB()),
            spec.getMaxMemoryMiB() == null ? null : MemorySize.ofMiB(spec.getMaxMemoryMiB()));
    }

    private static List<DiskDevice> disks(List<Disk> disks, List<String> paths) {
        List<DiskDevice> devices = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            Disk disk = required(disks.get(i), "spec.disks[" + i + "]");
            devices.add(new DiskDevice(paths.get(i), DiskDevice.Format.valueOf(disk.formatOrDefault().name()),
                disk.getTarget(), disk.readOnlyOrDefault(), disk.cdromOrDefault(), disk.getXenOptions()));
        }
        return devices;
    }

    private static List<NicDevice> nics(List<Vif> vifs) {
        List<NicDevice> devices = new ArrayList<>();
        for (int i = 0; i < vifs.size(); i++) {
            Vif vif = required(vifs.get(i), "spec.vifs[" + i + "]");
            devices.add(new NicDevice(vif.getBridge(), vif.getMac(), vif.getVifName(), vif.getModel(), vif.getXenOptions()));
        }
        return devices;
    }

    private static List<PciDevice> pciDevices(List<String> adapters, List<String> addresses) {
        List<PciDevice> devices = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            devices.add(new PciDevice(i < adapters.size() ? adapters.get(i) : null, addresses.get(i)));
        }
        return devices;
    }

    private static Console console(DomainConfigSpec spec) {
        Vnc vnc = spec.getVnc();
        Console.Vnc vncValue = vnc == null ? null : new Console.Vnc(vnc.enabledOrDefault(), vnc.listenOrDefault(),
            vnc.getListen() != null, vnc.getDisplay(), vnc.getFindUnused(), vnc.getKeymap());
        Console.GraphicsCard vga = spec.getVga() == null ? null : Console.GraphicsCard.valueOf(spec.getVga().name());
        boolean guestAgent = spec.getReadinessProbe() != null && spec.getReadinessProbe().getGuestAgent() != null;
        return new Console(vga, vncValue, spec.usbTabletOrDefault(), spec.serialOrDefault(), spec.getSerial() != null,
            guestAgent);
    }

    private static XenOptions xen(XenSettings xen) {
        if (xen == null) {
            return XenOptions.NONE;
        }
        List<XenOptions.Setting> passThrough = new ArrayList<>();
        for (int i = 0; i < xen.getPassThrough().size(); i++) {
            var setting = required(xen.getPassThrough().get(i), "spec.xen.passThrough[" + i + "]");
            passThrough.add(new XenOptions.Setting(setting.getKey(), setting.getValue()));
        }
        List<XenOptions.PciOptions> pciOptions = new ArrayList<>();
        for (int i = 0; i < xen.getPciOptions().size(); i++) {
            XenPciOptions options = required(xen.getPciOptions().get(i), "spec.xen.pciOptions[" + i + "]");
            pciOptions.add(new XenOptions.PciOptions(options.getAdapter(), options.getOptions()));
        }
        return new XenOptions(xen.getViridian(), xen.getViridianGroups(), xen.getPae(), xen.getApic(), xen.getHap(),
            xen.getNestedHvm(), passThrough, pciOptions);
    }

    private static Lifecycle.Action action(LifecyclePolicy policy) {
        return policy == null ? null : Lifecycle.Action.valueOf(policy.name().toUpperCase(java.util.Locale.ROOT));
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is empty; remove the entry or fill it in");
        }
        return value;
    }
}
