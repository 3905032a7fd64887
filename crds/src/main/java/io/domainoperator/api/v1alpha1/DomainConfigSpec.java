package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The desired virtual machine. Modelled on EVE's DomainConfig and the xl file the node agent writes. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DomainConfigSpec {
    /** EVE's {@code timer.boot.retry} default. */
    public static final int DEFAULT_BOOT_RETRY_SECONDS = 600;
    public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 60;

    @Required
    @Pattern(Patterns.DOMAIN_NAME)
    @JsonPropertyDescription("Name of the domain on the hypervisor (xl's name), e.g. vyos-app.1. Letters, digits, '.', '_' and '-', at most 64 characters.")
    private String displayName;

    @Pattern(Patterns.UUID)
    @JsonPropertyDescription("Domain uuid. When absent the node agent picks one and reports it in status.uuid.")
    private String uuid;

    @JsonPropertyDescription("Whether the domain should be running. false halts it gracefully, then forcibly after shutdownTimeoutSeconds. Default true.")
    private Boolean activate;

    @JsonPropertyDescription("For an active domain: Running (default), Paused (vCPUs stopped, memory kept) or Suspended (saved to a file on its node, the domain ended); set back to Running it resumes or is restored where it was, without a reboot. status.phase reports it.")
    private DesiredState desiredState;

    @JsonPropertyDescription("What the node agent does with the running domain when its node shuts down: Halt (default: graceful shutdown, a fresh boot when the node is back) or Save (saved to a file in the agent's state directory and restored, not rebooted, when the agent starts again; a failed restore falls back to a boot). Not with spec.adapters.")
    private HostShutdownPolicy onHostShutdown;

    @Pattern(Patterns.OBJECT_NAME)
    @JsonPropertyDescription("Node that runs the domain. When absent the cluster controller places it.")
    private String nodeName;

    @JsonPropertyDescription("What node drain (the node cordoned and labelled domainoperator.io/maintenance=true) does with this domain when it cannot move live (it holds a passed-through adapter, or its migration is refused or fails): LiveMigrate (default) keeps it running there and reports Draining=False, DrainBlocked; HaltAndBootElsewhere halts it and boots it on another node; Halt halts it and boots it there again once the node is uncordoned. A domain that can move live always does.")
    private DrainPolicy drainPolicy;

    @JsonPropertyDescription("Guest type: HVM (full virtualization, default), PV (paravirtualized, needs kernel) or PVH.")
    private VirtualizationMode virtualizationMode;

    @Required
    @Min(1)
    @Max(512)
    @JsonPropertyDescription("Number of virtual CPUs (xl's vcpus), 1 to 512. A change within the maxVcpus the domain booted with is applied to the running domain (xl vcpu-set, QEMU CPU hotplug); ConfigApplied says whether it was applied live or waits for a restart.")
    private Integer vcpus;

    @Min(1)
    @Max(512)
    @JsonPropertyDescription("Maximum virtual CPUs the domain may be given live (xl's maxcpus). At least vcpus; defaults to vcpus.")
    private Integer maxVcpus;

    @Required
    @Min(16)
    @Max(16777216)
    @JsonPropertyDescription("Memory in MiB (xl's memory), at least 16. A change within the maxMemoryMiB the domain booted with is applied to the running domain (xl mem-set, the QEMU balloon); ConfigApplied says whether it was applied live or waits for a restart.")
    private Integer memoryMiB;

    @Min(16)
    @Max(16777216)
    @JsonPropertyDescription("Maximum memory in MiB (xl's maxmem). At least memoryMiB; defaults to memoryMiB. The cluster controller places by this value.")
    private Integer maxMemoryMiB;

    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("Kernel image for direct boot (absolute path on the node). Required for PV guests.")
    private String kernel;

    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("Initial ramdisk for direct boot (absolute path on the node).")
    private String ramdisk;

    @Pattern(Patterns.CMDLINE)
    @Size(max = Patterns.CMDLINE_MAX_LENGTH)
    @JsonPropertyDescription("Kernel command line for direct boot (xl's extra). Printable ASCII without double quotes.")
    private String cmdline;

    @Pattern(Patterns.BOOT_ORDER)
    @JsonPropertyDescription("HVM boot order, xl style: letters c (disk), d (cdrom), n (network), e.g. dc.")
    private String bootOrder;

    @JsonPropertyDescription("Virtual disks, in the order the guest sees them.")
    private List<Disk> disks = new ArrayList<>();

    @JsonPropertyDescription("Virtual network interfaces.")
    private List<Vif> vifs = new ArrayList<>();

    @JsonPropertyDescription("Names of PhysicalIOAdapters on this domain's node to pass through. The domain does not boot until all are free.")
    private List<@Pattern(Patterns.OBJECT_NAME) String> adapters = new ArrayList<>();

    @JsonPropertyDescription("Graphical console.")
    private Vnc vnc;

    @Pattern("^(pty|none)$")
    @JsonPropertyDescription("Serial console: pty (default) or none.")
    private String serial;

    @JsonPropertyDescription("Give the guest a USB tablet for absolute pointer input over VNC (xl's usbdevice=[\"tablet\"]).")
    private Boolean usbTablet;

    @JsonPropertyDescription("Emulated graphics card of an HVM guest: std, cirrus, qxl or none (xl's vga/stdvga, QEMU's -vga). Default: the backend's (xl: cirrus; QEMU: std).")
    private Vga vga;

    @JsonPropertyDescription("HVM: expose ACPI to the guest (xl's acpi; false is QEMU's -no-acpi). Default true.")
    private Boolean acpi;

    @JsonPropertyDescription("HVM: the emulated real-time clock keeps local time instead of UTC (xl's localtime, QEMU's -rtc base=localtime); Windows guests expect it. Default false.")
    private Boolean localtime;

    @JsonPropertyDescription("Settings only Xen honours, and xl settings carried verbatim.")
    private XenSettings xen;

    @JsonPropertyDescription("When the guest powers off: Restart, Preserve or Destroy (default).")
    private LifecyclePolicy onPoweroff;

    @JsonPropertyDescription("When the guest reboots: Restart (default), Preserve or Destroy.")
    private LifecyclePolicy onReboot;

    @JsonPropertyDescription("When the guest crashes: Restart (default), Preserve or Destroy. Crashes within 120 s of boot back off before restarting.")
    private LifecyclePolicy onCrash;

    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds to wait after a round of failed boots before the next round. Overrides the node's timer.boot.retry (default " + DEFAULT_BOOT_RETRY_SECONDS + ").")
    private Integer bootRetrySeconds;

    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds a graceful shutdown may take before the domain is destroyed (forced poweroff). Overrides the node's default (" + DEFAULT_SHUTDOWN_TIMEOUT_SECONDS + ").")
    private Integer shutdownTimeoutSeconds;

    @JsonPropertyDescription("Names of DomainConfigs in this namespace that must be Running (GuestReady, for one with a readinessProbe) before this domain starts. They are halted after this one.")
    private List<@Pattern(Patterns.OBJECT_NAME) String> startAfter = new ArrayList<>();

    @JsonPropertyDescription("When the guest counts as up: a TCP or serial-console check run by the node agent while the domain runs, reported as the GuestReady condition. Ready follows it, and domains naming this one in startAfter wait for it. Without it, Ready means the domain runs.")
    private ReadinessProbe readinessProbe;

    @JsonPropertyDescription("Reboot the domain gracefully to apply changes that cannot be applied live. Default false: they wait in status.pendingChanges.")
    private Boolean restartOnConfigChange;

    @JsonPropertyDescription("Keep per-domain disk copies when the DomainConfig is deleted. Default false: copies are removed after the domain is gone.")
    private Boolean keepDisksOnDelete;

    public String getDisplayName() { return displayName; }
    public void setDisplayName(String displayName) { this.displayName = displayName; }
    public String getUuid() { return uuid; }
    public void setUuid(String uuid) { this.uuid = uuid; }
    public DesiredState getDesiredState() { return desiredState; }
    public void setDesiredState(DesiredState desiredState) { this.desiredState = desiredState; }
    @JsonIgnore public DesiredState desiredStateOrDefault() { return desiredState == null ? DesiredState.Running : desiredState; }
    public HostShutdownPolicy getOnHostShutdown() { return onHostShutdown; }
    public void setOnHostShutdown(HostShutdownPolicy onHostShutdown) { this.onHostShutdown = onHostShutdown; }
    @JsonIgnore public HostShutdownPolicy onHostShutdownOrDefault() { return onHostShutdown == null ? HostShutdownPolicy.Halt : onHostShutdown; }
    public Boolean getActivate() { return activate; }
    public void setActivate(Boolean activate) { this.activate = activate; }
    public String getNodeName() { return nodeName; }
    public void setNodeName(String nodeName) { this.nodeName = nodeName; }
    public VirtualizationMode getVirtualizationMode() { return virtualizationMode; }
    public void setVirtualizationMode(VirtualizationMode virtualizationMode) { this.virtualizationMode = virtualizationMode; }
    public Integer getVcpus() { return vcpus; }
    public void setVcpus(Integer vcpus) { this.vcpus = vcpus; }
    public Integer getMaxVcpus() { return maxVcpus; }
    public void setMaxVcpus(Integer maxVcpus) { this.maxVcpus = maxVcpus; }
    public Integer getMemoryMiB() { return memoryMiB; }
    public void setMemoryMiB(Integer memoryMiB) { this.memoryMiB = memoryMiB; }
    public Integer getMaxMemoryMiB() { return maxMemoryMiB; }
    public void setMaxMemoryMiB(Integer maxMemoryMiB) { this.maxMemoryMiB = maxMemoryMiB; }
    public String getKernel() { return kernel; }
    public void setKernel(String kernel) { this.kernel = kernel; }
    public String getRamdisk() { return ramdisk; }
    public void setRamdisk(String ramdisk) { this.ramdisk = ramdisk; }
    public String getCmdline() { return cmdline; }
    public void setCmdline(String cmdline) { this.cmdline = cmdline; }
    public String getBootOrder() { return bootOrder; }
    public void setBootOrder(String bootOrder) { this.bootOrder = bootOrder; }
    public List<Disk> getDisks() { return disks; }
    public void setDisks(List<Disk> disks) { this.disks = disks == null ? new ArrayList<>() : disks; }
    public List<Vif> getVifs() { return vifs; }
    public void setVifs(List<Vif> vifs) { this.vifs = vifs == null ? new ArrayList<>() : vifs; }
    public List<String> getAdapters() { return adapters; }
    public void setAdapters(List<String> adapters) { this.adapters = adapters == null ? new ArrayList<>() : adapters; }
    public Vnc getVnc() { return vnc; }
    public void setVnc(Vnc vnc) { this.vnc = vnc; }
    public String getSerial() { return serial; }
    public void setSerial(String serial) { this.serial = serial; }
    public Boolean getUsbTablet() { return usbTablet; }
    public void setUsbTablet(Boolean usbTablet) { this.usbTablet = usbTablet; }
    public Vga getVga() { return vga; }
    public void setVga(Vga vga) { this.vga = vga; }
    public Boolean getAcpi() { return acpi; }
    public void setAcpi(Boolean acpi) { this.acpi = acpi; }
    public Boolean getLocaltime() { return localtime; }
    public void setLocaltime(Boolean localtime) { this.localtime = localtime; }
    public XenSettings getXen() { return xen; }
    public void setXen(XenSettings xen) { this.xen = xen; }
    public LifecyclePolicy getOnPoweroff() { return onPoweroff; }
    public void setOnPoweroff(LifecyclePolicy onPoweroff) { this.onPoweroff = onPoweroff; }
    public LifecyclePolicy getOnReboot() { return onReboot; }
    public void setOnReboot(LifecyclePolicy onReboot) { this.onReboot = onReboot; }
    public LifecyclePolicy getOnCrash() { return onCrash; }
    public void setOnCrash(LifecyclePolicy onCrash) { this.onCrash = onCrash; }
    public Integer getBootRetrySeconds() { return bootRetrySeconds; }
    public void setBootRetrySeconds(Integer bootRetrySeconds) { this.bootRetrySeconds = bootRetrySeconds; }
    public Integer getShutdownTimeoutSeconds() { return shutdownTimeoutSeconds; }
    public void setShutdownTimeoutSeconds(Integer shutdownTimeoutSeconds) { this.shutdownTimeoutSeconds = shutdownTimeoutSeconds; }
    public List<String> getStartAfter() { return startAfter; }
    public void setStartAfter(List<String> startAfter) { this.startAfter = startAfter == null ? new ArrayList<>() : startAfter; }
    public ReadinessProbe getReadinessProbe() { return readinessProbe; }
    public void setReadinessProbe(ReadinessProbe readinessProbe) { this.readinessProbe = readinessProbe; }
    public Boolean getRestartOnConfigChange() { return restartOnConfigChange; }
    public void setRestartOnConfigChange(Boolean restartOnConfigChange) { this.restartOnConfigChange = restartOnConfigChange; }
    public Boolean getKeepDisksOnDelete() { return keepDisksOnDelete; }
    public void setKeepDisksOnDelete(Boolean keepDisksOnDelete) { this.keepDisksOnDelete = keepDisksOnDelete; }

    // Effective values: defaults live here once, so that no caller re-derives them differently.
    @JsonIgnore public boolean isActive() { return !Boolean.FALSE.equals(activate); }
    @JsonIgnore public VirtualizationMode modeOrDefault() { return virtualizationMode == null ? VirtualizationMode.HVM : virtualizationMode; }
    @JsonIgnore public int effectiveMaxVcpus() { return maxVcpus == null ? vcpus : maxVcpus; }
    @JsonIgnore public int effectiveMaxMemoryMiB() { return maxMemoryMiB == null ? memoryMiB : maxMemoryMiB; }
    @JsonIgnore public String serialOrDefault() { return serial == null ? "pty" : serial; }
    @JsonIgnore public boolean usbTabletOrDefault() { return Boolean.TRUE.equals(usbTablet); }
    @JsonIgnore public List<XlSetting> passThroughOrEmpty() { return xen == null ? List.of() : xen.getPassThrough(); }
    @JsonIgnore public LifecyclePolicy onPoweroffOrDefault() { return onPoweroff == null ? LifecyclePolicy.Destroy : onPoweroff; }
    @JsonIgnore public LifecyclePolicy onRebootOrDefault() { return onReboot == null ? LifecyclePolicy.Restart : onReboot; }
    @JsonIgnore public LifecyclePolicy onCrashOrDefault() { return onCrash == null ? LifecyclePolicy.Restart : onCrash; }
    @JsonIgnore public boolean restartOnConfigChangeOrDefault() { return Boolean.TRUE.equals(restartOnConfigChange); }
    public DrainPolicy getDrainPolicy() { return drainPolicy; }
    public void setDrainPolicy(DrainPolicy drainPolicy) { this.drainPolicy = drainPolicy; }
    @JsonIgnore public DrainPolicy drainPolicyOrDefault() { return drainPolicy == null ? DrainPolicy.LiveMigrate : drainPolicy; }
    @JsonIgnore public boolean keepDisksOnDeleteOrDefault() { return Boolean.TRUE.equals(keepDisksOnDelete); }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DomainConfigSpec s)) {
            return false;
        }
        return Objects.equals(displayName, s.displayName) && Objects.equals(uuid, s.uuid)
            && Objects.equals(activate, s.activate) && desiredState == s.desiredState
            && onHostShutdown == s.onHostShutdown
            && Objects.equals(nodeName, s.nodeName)
            && virtualizationMode == s.virtualizationMode && Objects.equals(vcpus, s.vcpus)
            && Objects.equals(maxVcpus, s.maxVcpus) && Objects.equals(memoryMiB, s.memoryMiB)
            && Objects.equals(maxMemoryMiB, s.maxMemoryMiB) && Objects.equals(kernel, s.kernel)
            && Objects.equals(ramdisk, s.ramdisk) && Objects.equals(cmdline, s.cmdline)
            && Objects.equals(bootOrder, s.bootOrder) && Objects.equals(disks, s.disks)
            && Objects.equals(vifs, s.vifs) && Objects.equals(adapters, s.adapters) && Objects.equals(vnc, s.vnc)
            && Objects.equals(serial, s.serial) && Objects.equals(usbTablet, s.usbTablet)
            && vga == s.vga && Objects.equals(acpi, s.acpi) && Objects.equals(localtime, s.localtime)
            && Objects.equals(xen, s.xen)
            && onPoweroff == s.onPoweroff && onReboot == s.onReboot && onCrash == s.onCrash
            && Objects.equals(bootRetrySeconds, s.bootRetrySeconds)
            && Objects.equals(shutdownTimeoutSeconds, s.shutdownTimeoutSeconds)
            && Objects.equals(startAfter, s.startAfter) && Objects.equals(readinessProbe, s.readinessProbe)
            && Objects.equals(restartOnConfigChange, s.restartOnConfigChange)
            && Objects.equals(keepDisksOnDelete, s.keepDisksOnDelete) && drainPolicy == s.drainPolicy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayName, uuid, nodeName, vcpus, memoryMiB, disks, vifs, adapters);
    }

    @Override
    public String toString() {
        return "DomainConfigSpec[" + displayName + ", vcpus=" + vcpus + ", memoryMiB=" + memoryMiB + "]";
    }
}
