package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the node agent last observed and decided. Written through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DomainConfigStatus {
    @JsonPropertyDescription("Pending, Scheduled, Booting, Running, Paused, Suspended, Halting, Halted, Broken or Unknown.")
    private DomainPhase phase;

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready (derived), Booted, AdaptersAssigned, ConfigApplied (the node agent's) and SpecValid, Placed, NodeLost (the cluster controller's) with CamelCase reasons and messages that say what to do.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Node the domain runs on.")
    private String node;

    @JsonPropertyDescription("Hypervisor domain id while the domain exists.")
    private Integer domainId;

    @JsonPropertyDescription("Name of the domain on the hypervisor.")
    private String domainName;

    @JsonPropertyDescription("Domain uuid in use (spec.uuid, or the one the agent picked).")
    private String uuid;

    @JsonPropertyDescription("Failed boot attempts since the last successful boot.")
    private Integer bootAttempts;

    @JsonPropertyDescription("Error of the last failed boot.")
    private String lastBootError;

    @JsonPropertyDescription("When the next boot attempt is due (RFC 3339), while the domain is Broken.")
    private String nextBootRetryTime;

    @JsonPropertyDescription("Times the domain was restarted after a guest crash, poweroff or reboot.")
    private Integer restartCount;

    @JsonPropertyDescription("When the domain last rebooted (RFC 3339).")
    private String lastRebootTime;

    @JsonPropertyDescription("Spec fields changed while running that take effect on the next reboot.")
    private List<String> pendingChanges = new ArrayList<>();

    @JsonPropertyDescription("Path of the rendered domain definition on the node (xl config file or QEMU argument file).")
    private String configFile;

    @JsonPropertyDescription("Where the running domain's consoles are on its node (serial pty, socket and log; VNC address and port).")
    private ConsoleStatus console;

    @JsonPropertyDescription("Disk paths the domain uses on the node, after per-domain copies.")
    private List<String> diskPaths = new ArrayList<>();

    @JsonPropertyDescription("PhysicalIOAdapters passed through to the domain.")
    private List<String> assignedAdapters = new ArrayList<>();

    public DomainPhase getPhase() { return phase; }
    public void setPhase(DomainPhase phase) { this.phase = phase; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions == null ? new ArrayList<>() : conditions; }
    public String getNode() { return node; }
    public void setNode(String node) { this.node = node; }
    public Integer getDomainId() { return domainId; }
    public void setDomainId(Integer domainId) { this.domainId = domainId; }
    public String getDomainName() { return domainName; }
    public void setDomainName(String domainName) { this.domainName = domainName; }
    public String getUuid() { return uuid; }
    public void setUuid(String uuid) { this.uuid = uuid; }
    public Integer getBootAttempts() { return bootAttempts; }
    public void setBootAttempts(Integer bootAttempts) { this.bootAttempts = bootAttempts; }
    public String getLastBootError() { return lastBootError; }
    public void setLastBootError(String lastBootError) { this.lastBootError = lastBootError; }
    public String getNextBootRetryTime() { return nextBootRetryTime; }
    public void setNextBootRetryTime(String nextBootRetryTime) { this.nextBootRetryTime = nextBootRetryTime; }
    public Integer getRestartCount() { return restartCount; }
    public void setRestartCount(Integer restartCount) { this.restartCount = restartCount; }
    public String getLastRebootTime() { return lastRebootTime; }
    public void setLastRebootTime(String lastRebootTime) { this.lastRebootTime = lastRebootTime; }
    public List<String> getPendingChanges() { return pendingChanges; }
    public void setPendingChanges(List<String> pendingChanges) { this.pendingChanges = pendingChanges == null ? new ArrayList<>() : pendingChanges; }
    public String getConfigFile() { return configFile; }
    public void setConfigFile(String configFile) { this.configFile = configFile; }
    public ConsoleStatus getConsole() { return console; }
    public void setConsole(ConsoleStatus console) { this.console = console; }
    public List<String> getDiskPaths() { return diskPaths; }
    public void setDiskPaths(List<String> diskPaths) { this.diskPaths = diskPaths == null ? new ArrayList<>() : diskPaths; }
    public List<String> getAssignedAdapters() { return assignedAdapters; }
    public void setAssignedAdapters(List<String> assignedAdapters) { this.assignedAdapters = assignedAdapters == null ? new ArrayList<>() : assignedAdapters; }

    /** The condition of this type, or null. */
    public Condition condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DomainConfigStatus s)) {
            return false;
        }
        return phase == s.phase && Objects.equals(observedGeneration, s.observedGeneration)
            && Objects.equals(conditions, s.conditions) && Objects.equals(node, s.node)
            && Objects.equals(domainId, s.domainId) && Objects.equals(domainName, s.domainName)
            && Objects.equals(uuid, s.uuid) && Objects.equals(bootAttempts, s.bootAttempts)
            && Objects.equals(lastBootError, s.lastBootError) && Objects.equals(nextBootRetryTime, s.nextBootRetryTime)
            && Objects.equals(restartCount, s.restartCount) && Objects.equals(lastRebootTime, s.lastRebootTime)
            && Objects.equals(pendingChanges, s.pendingChanges) && Objects.equals(configFile, s.configFile)
            && Objects.equals(console, s.console)
            && Objects.equals(diskPaths, s.diskPaths) && Objects.equals(assignedAdapters, s.assignedAdapters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, observedGeneration, domainId, uuid, bootAttempts, restartCount);
    }

    @Override
    public String toString() {
        return "DomainConfigStatus[" + phase + ", domainId=" + domainId + ", conditions=" + conditions + "]";
    }
}
