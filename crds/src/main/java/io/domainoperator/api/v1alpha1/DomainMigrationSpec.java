package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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

    public String getDomainConfig() { return domainConfig; }
    public void setDomainConfig(String domainConfig) { this.domainConfig = domainConfig; }
    public String getTargetNode() { return targetNode; }
    public void setTargetNode(String targetNode) { this.targetNode = targetNode; }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainMigrationSpec s && Objects.equals(domainConfig, s.domainConfig)
            && Objects.equals(targetNode, s.targetNode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domainConfig, targetNode);
    }
}
