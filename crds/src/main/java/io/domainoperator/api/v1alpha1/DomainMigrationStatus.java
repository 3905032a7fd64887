package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Progress of one migration. Each field has one writer: the cluster controller (phase up to Scheduling, the nodes,
 * Succeeded, Failed before the hand-over), the target agent (targetAddress, TargetReady, targetResumedTime), the
 * source agent (Migrating, handoverTime, the figures, Failed while it still runs the domain).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DomainMigrationStatus {
    @JsonPropertyDescription("Pending, Scheduling, TargetReady, Migrating, Succeeded or Failed.")
    private MigrationPhase phase;

    @JsonPropertyDescription("TargetPrepared, HandedOver and Complete, with CamelCase reasons and messages that say what happened and what to do.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Node the domain ran on when the migration started.")
    private String sourceNode;

    @JsonPropertyDescription("Node the domain is moved to.")
    private String targetNode;

    @JsonPropertyDescription("host:port where the target's incoming domain listens for the guest's memory.")
    private String targetAddress;

    @JsonPropertyDescription("Name of the domain on the hypervisor (the same on both nodes).")
    private String domainName;

    @JsonPropertyDescription("Domain uuid, kept across the move.")
    private String uuid;

    @JsonPropertyDescription("When the controller accepted the migration (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the source agent started the memory copy (RFC 3339); spec.completionTimeoutPerGiB "
        + "counts from it.")
    private String copyStartTime;

    @JsonPropertyDescription("When the source agent saw the copy complete and gave the domain to the target (RFC 3339): "
        + "before it the domain belongs to the source node, from it on to the target node.")
    private String handoverTime;

    @JsonPropertyDescription("When the target resumed the domain (RFC 3339).")
    private String targetResumedTime;

    @JsonPropertyDescription("When the migration succeeded or failed (RFC 3339).")
    private String endTime;

    @JsonPropertyDescription("How long the memory copy took, from its start to its completion (or to its failure, when it failed), in milliseconds (the hypervisor's figure).")
    private Long migrationTimeMillis;

    @JsonPropertyDescription("How long the guest was stopped for the final copy, in milliseconds (the hypervisor's figure).")
    private Long downtimeMillis;

    public MigrationPhase getPhase() { return phase; }
    public void setPhase(MigrationPhase phase) { this.phase = phase; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions == null ? new ArrayList<>() : conditions; }
    public String getSourceNode() { return sourceNode; }
    public void setSourceNode(String sourceNode) { this.sourceNode = sourceNode; }
    public String getTargetNode() { return targetNode; }
    public void setTargetNode(String targetNode) { this.targetNode = targetNode; }
    public String getTargetAddress() { return targetAddress; }
    public void setTargetAddress(String targetAddress) { this.targetAddress = targetAddress; }
    public String getDomainName() { return domainName; }
    public void setDomainName(String domainName) { this.domainName = domainName; }
    public String getUuid() { return uuid; }
    public void setUuid(String uuid) { this.uuid = uuid; }
    public String getStartTime() { return startTime; }
    public void setStartTime(String startTime) { this.startTime = startTime; }
    public String getCopyStartTime() { return copyStartTime; }
    public void setCopyStartTime(String copyStartTime) { this.copyStartTime = copyStartTime; }
    public String getHandoverTime() { return handoverTime; }
    public void setHandoverTime(String handoverTime) { this.handoverTime = handoverTime; }
    public String getTargetResumedTime() { return targetResumedTime; }
    public void setTargetResumedTime(String targetResumedTime) { this.targetResumedTime = targetResumedTime; }
    public String getEndTime() { return endTime; }
    public void setEndTime(String endTime) { this.endTime = endTime; }
    public Long getMigrationTimeMillis() { return migrationTimeMillis; }
    public void setMigrationTimeMillis(Long migrationTimeMillis) { this.migrationTimeMillis = migrationTimeMillis; }
    public Long getDowntimeMillis() { return downtimeMillis; }
    public void setDowntimeMillis(Long downtimeMillis) { this.downtimeMillis = downtimeMillis; }

    /** The condition of this type, or null. */
    public Condition condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** A copy to edit: decisions return a new status, never change the one they were given. */
    public DomainMigrationStatus copy() {
        DomainMigrationStatus c = new DomainMigrationStatus();
        c.phase = phase;
        c.conditions = new ArrayList<>(conditions);
        c.sourceNode = sourceNode;
        c.targetNode = targetNode;
        c.targetAddress = targetAddress;
        c.domainName = domainName;
        c.uuid = uuid;
        c.startTime = startTime;
        c.copyStartTime = copyStartTime;
        c.handoverTime = handoverTime;
        c.targetResumedTime = targetResumedTime;
        c.endTime = endTime;
        c.migrationTimeMillis = migrationTimeMillis;
        c.downtimeMillis = downtimeMillis;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainMigrationStatus s && phase == s.phase && Objects.equals(conditions, s.conditions)
            && Objects.equals(sourceNode, s.sourceNode) && Objects.equals(targetNode, s.targetNode)
            && Objects.equals(targetAddress, s.targetAddress) && Objects.equals(domainName, s.domainName)
            && Objects.equals(uuid, s.uuid) && Objects.equals(startTime, s.startTime)
            && Objects.equals(copyStartTime, s.copyStartTime)
            && Objects.equals(handoverTime, s.handoverTime) && Objects.equals(targetResumedTime, s.targetResumedTime)
            && Objects.equals(endTime, s.endTime) && Objects.equals(migrationTimeMillis, s.migrationTimeMillis)
            && Objects.equals(downtimeMillis, s.downtimeMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, sourceNode, targetNode, handoverTime, endTime);
    }

    @Override
    public String toString() {
        return "DomainMigrationStatus[" + phase + ", " + sourceNode + " -> " + targetNode + ", conditions=" + conditions + "]";
    }
}
