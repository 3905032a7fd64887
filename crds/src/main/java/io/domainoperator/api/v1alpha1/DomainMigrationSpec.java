package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Which domain to move, and optionally where to. Immutable in practice: the controller acts on the first version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DomainMigrationSpec {
    @Required
    @Pattern(Patterns.OBJECT_NAME)
    @JsonPropertyDescription("Name of the DomainConfig to move, in this DomainMigration's namespace. It must be Running "
        + "and hold no passed-through adapter (a device cannot follow the guest to another node).")
    private String domainConfig;

    @Pattern(Patterns.OBJECT_NAME)
    @JsonPropertyDescription("Node to move to. Optional: without it the cluster controller picks the live, uncordoned node "
        + "with the most free memory, as placement does; with it, that node must be alive, uncordoned and have the "
        + "domain's memory free, else the migration fails saying which.")
    private String targetNode;

    /** KubeVirt's default: 800 s per GiB of guest memory. */
    public static final int DEFAULT_COMPLETION_TIMEOUT_PER_GIB = 800;
    /** KubeVirt's default: 150 s without progress. */
    public static final int DEFAULT_PROGRESS_TIMEOUT = 150;

    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds the memory copy may take per GiB of the guest's maximum memory, counted from the "
        + "copy's start (default " + DEFAULT_COMPLETION_TIMEOUT_PER_GIB + ", as KubeVirt's completionTimeoutPerGiB). A copy "
        + "still running then is cancelled: the guest keeps running on the source node and the migration fails with "
        + "reason CopyTimedOut.")
    private Integer completionTimeoutPerGiB;

    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds the memory copy may go without progress (no new low of the bytes left to send, "
        + "or no byte sent where the hypervisor reports no remainder) before it is cancelled (default "
        + DEFAULT_PROGRESS_TIMEOUT + ", as KubeVirt's progressTimeout): a hung target or a network that stopped moving "
        + "bytes. The guest keeps running on the source node and the migration fails with reason NoProgress.")
    private Integer progressTimeout;

    public String getDomainConfig() { return domainConfig; }
    public void setDomainConfig(String domainConfig) { this.domainConfig = domainConfig; }
    public String getTargetNode() { return targetNode; }
    public void setTargetNode(String targetNode) { this.targetNode = targetNode; }
    public Integer getCompletionTimeoutPerGiB() { return completionTimeoutPerGiB; }
    public void setCompletionTimeoutPerGiB(Integer completionTimeoutPerGiB) { this.completionTimeoutPerGiB = completionTimeoutPerGiB; }
    public Integer getProgressTimeout() { return progressTimeout; }
    public void setProgressTimeout(Integer progressTimeout) { this.progressTimeout = progressTimeout; }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainMigrationSpec s && Objects.equals(domainConfig, s.domainConfig)
            && Objects.equals(targetNode, s.targetNode)
            && Objects.equals(completionTimeoutPerGiB, s.completionTimeoutPerGiB)
            && Objects.equals(progressTimeout, s.progressTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domainConfig, targetNode, completionTimeoutPerGiB, progressTimeout);
    }
}
