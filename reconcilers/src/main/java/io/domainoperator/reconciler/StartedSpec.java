package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.api.v1alpha1.Vnc;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of a spec a running domain was built from and cannot change without a restart, as effective values
 * (an explicit default is no change). Journaled at {@code CreatePaused} so that pending changes survive a
 * restart of the agent; a plain record, so that Jackson writes it as-is.
 *
 * <p>Which fields are here is rule 7's classification. Everything else applies live because the engine reads it
 * fresh on every decision: {@code activate}, {@code startAfter}, {@code onPoweroff}/{@code onReboot}/
 * {@code onCrash}, {@code bootRetrySeconds}, {@code shutdownTimeoutSeconds}, {@code readinessProbe}, {@code restartOnConfigChange},
 * {@code keepDisksOnDelete}. {@code vcpus} and {@code memoryMiB} are listed here but change live within the
 * unchanged {@code maxVcpus}/{@code maxMemoryMiB} ({@link LiveResizeRules}: a successful live resize updates this
 * snapshot). {@code nodeName} is the cluster controller's business (a move, not a restart).
 */
public record StartedSpec(String displayName, String uuid, VirtualizationMode mode, Integer vcpus, Integer maxVcpus,
                          Integer memoryMiB, Integer maxMemoryMiB, String kernel, String ramdisk, String cmdline,
                          String bootOrder, List<DiskRef> disks, List<VifRef> vifs, List<String> adapters,
                          boolean vncEnabled, String vncListen, String serial, boolean usbTablet, boolean assumed) {

    /** One disk as it was attached. */
    public record DiskRef(String source, DiskFormat format, String target, boolean readOnly, boolean copyOnStart) {
        static DiskRef of(Disk d) {
            return new DiskRef(d.getSource(), d.formatOrDefault(), d.getTarget(), d.readOnlyOrDefault(), d.copyOnStartOrDefault());
        }

        boolean sameAs(Disk d) {
            return Objects.equals(source, d.getSource()) && format == d.formatOrDefault()
                && Objects.equals(target, d.getTarget()) && readOnly == d.readOnlyOrDefault()
                && copyOnStart == d.copyOnStartOrDefault();
        }
    }

    /** One network interface as it was attached. */
    public record VifRef(String bridge, String mac, String vifName) {
        static VifRef of(Vif v) {
            return new VifRef(v.getBridge(), v.getMac(), v.getVifName());
        }

        boolean sameAs(Vif v) {
            return Objects.equals(bridge, v.getBridge()) && Objects.equals(mac, v.getMac())
                && Objects.equals(vifName, v.getVifName());
        }
    }

    public StartedSpec {
        disks = disks == null ? List.of() : List.copyOf(disks);
        vifs = vifs == null ? List.of() : List.copyOf(vifs);
        adapters = adapters == null ? List.of() : List.copyOf(adapters);
    }

    /** The snapshot of a spec a domain is created from, with the uuid actually given to it. */
    public static StartedSpec of(DomainConfigSpec spec, String uuidInUse) {
        Vnc vnc = spec.getVnc();
        return new StartedSpec(spec.getDisplayName(), uuidInUse, spec.modeOrDefault(), spec.getVcpus(),
            maxVcpus(spec), spec.getMemoryMiB(), maxMemory(spec), spec.getKernel(), spec.getRamdisk(),
            spec.getCmdline(), spec.getBootOrder(), spec.getDisks().stream().map(DiskRef::of).toList(),
            spec.getVifs().stream().map(VifRef::of).toList(), spec.getAdapters(), vnc != null && vnc.enabledOrDefault(),
            vnc == null ? null : vnc.listenOrDefault(), spec.serialOrDefault(), spec.usbTabletOrDefault(), false);
    }

    /**
     * The spec of a domain adopted with no record of what it was booted with (a lost or garbled journal): the
     * current one, marked {@code assumed} so that status says ConfigApplied=Unknown rather than claim a match.
     */
    public static StartedSpec assumed(DomainConfigSpec spec, String uuidInUse) {
        StartedSpec s = of(spec, uuidInUse);
        return new StartedSpec(s.displayName, s.uuid, s.mode, s.vcpus, s.maxVcpus, s.memoryMiB, s.maxMemoryMiB, s.kernel,
            s.ramdisk, s.cmdline, s.bootOrder, s.disks, s.vifs, s.adapters, s.vncEnabled, s.vncListen, s.serial, s.usbTablet, true);
    }

    /**
     * The restart-required fields on which {@code desired} differs from this snapshot, in spec order; empty (and
     * allocation-free) when none. A uuid left out of the desired spec is no change: the agent picked one.
     */
    public List<String> changedFields(DomainConfigSpec desired) {
        List<String> changed = null;
        changed = note(changed, !Objects.equals(displayName, desired.getDisplayName()), "displayName");
        changed = note(changed, desired.getUuid() != null && !desired.getUuid().equalsIgnoreCase(uuid), "uuid");
        changed = note(changed, mode != desired.modeOrDefault(), "virtualizationMode");
        changed = note(changed, !Objects.equals(vcpus, desired.getVcpus()), "vcpus");
        changed = note(changed, !Objects.equals(maxVcpus, maxVcpus(desired)), "maxVcpus");
        changed = note(changed, !Objects.equals(memoryMiB, desired.getMemoryMiB()), "memoryMiB");
        changed = note(changed, !Objects.equals(maxMemoryMiB, maxMemory(desired)), "maxMemoryMiB");
        changed = note(changed, !Objects.equals(kernel, desired.getKernel()), "kernel");
        changed = note(changed, !Objects.equals(ramdisk, desired.getRamdisk()), "ramdisk");
        changed = note(changed, !Objects.equals(cmdline, desired.getCmdline()), "cmdline");
        changed = note(changed, !Objects.equals(bootOrder, desired.getBootOrder()), "bootOrder");
        changed = note(changed, !sameDisks(desired.getDisks()), "disks");
        changed = note(changed, !sameVifs(desired.getVifs()), "vifs");
        changed = note(changed, !adapters.equals(desired.getAdapters()), "adapters");
        Vnc vnc = desired.getVnc();
        changed = note(changed, vncEnabled != (vnc != null && vnc.enabledOrDefault())
            || !Objects.equals(vncListen, vnc == null ? null : vnc.listenOrDefault()), "vnc");
        changed = note(changed, !Objects.equals(serial, desired.serialOrDefault()), "serial");
        changed = note(changed, usbTablet != desired.usbTabletOrDefault(), "usbTablet");
        return changed == null ? List.of() : changed;
    }

    private boolean sameDisks(List<Disk> desired) {
        if (desired.size() != disks.size()) {
            return false;
        }
        for (int i = 0; i < disks.size(); i++) {
            if (!disks.get(i).sameAs(desired.get(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean sameVifs(List<Vif> desired) {
        if (desired.size() != vifs.size()) {
            return false;
        }
        for (int i = 0; i < vifs.size(); i++) {
            if (!vifs.get(i).sameAs(desired.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> note(List<String> changed, boolean differs, String field) {
        if (!differs) {
            return changed;
        }
        List<String> list = changed == null ? new ArrayList<>(4) : changed;
        list.add(field);
        return list;
    }

    // The effective-value helpers of the spec unbox; an invalid spec (vcpus missing) must not throw here.
    private static Integer maxVcpus(DomainConfigSpec spec) {
        return spec.getMaxVcpus() != null ? spec.getMaxVcpus() : spec.getVcpus();
    }

    private static Integer maxMemory(DomainConfigSpec spec) {
        return spec.getMaxMemoryMiB() != null ? spec.getMaxMemoryMiB() : spec.getMemoryMiB();
    }
}
