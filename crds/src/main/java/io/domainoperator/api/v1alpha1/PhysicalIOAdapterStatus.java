package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The device as the node agent last saw it in sysfs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PhysicalIOAdapterStatus {
    @JsonPropertyDescription("namespace/name of the DomainConfig holding the device, absent when free.")
    private String assignedTo;

    @JsonPropertyDescription("Kernel driver the device is bound to, e.g. e1000e, pciback, vfio-pci.")
    private String boundDriver;

    @JsonPropertyDescription("IOMMU group number; every device of a group moves together.")
    private Integer iommuGroup;

    @JsonPropertyDescription("Whether the device is bound to Xen's PCI backend (or vfio-pci for QEMU), ready for passthrough.")
    private Boolean inPciback;

    @JsonPropertyDescription("Assignable and its reasons (AdapterRefused names the rule, e.g. keepInHost or dom0's management port).")
    private List<Condition> conditions = new ArrayList<>();

    public String getAssignedTo() { return assignedTo; }
    public void setAssignedTo(String assignedTo) { this.assignedTo = assignedTo; }
    public String getBoundDriver() { return boundDriver; }
    public void setBoundDriver(String boundDriver) { this.boundDriver = boundDriver; }
    public Integer getIommuGroup() { return iommuGroup; }
    public void setIommuGroup(Integer iommuGroup) { this.iommuGroup = iommuGroup; }
    public Boolean getInPciback() { return inPciback; }
    public void setInPciback(Boolean inPciback) { this.inPciback = inPciback; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions == null ? new ArrayList<>() : conditions; }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhysicalIOAdapterStatus s && Objects.equals(assignedTo, s.assignedTo)
            && Objects.equals(boundDriver, s.boundDriver) && Objects.equals(iommuGroup, s.iommuGroup)
            && Objects.equals(inPciback, s.inPciback) && Objects.equals(conditions, s.conditions);
    }

    @Override
    public int hashCode() { return Objects.hash(assignedTo, boundDriver, iommuGroup, inPciback); }
}
