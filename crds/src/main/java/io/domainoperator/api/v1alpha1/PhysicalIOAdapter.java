package io.domainoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A node's PCI, USB or serial device and who may use it. Cluster-scoped: one object per device per node. */
@Group(DomainConfig.GROUP)
@Version(DomainConfig.VERSION)
@Kind("PhysicalIOAdapter")
@Plural("physicalioadapters")
@Singular("physicalioadapter")
@ShortNames("pioa")
// The CRD generator orders printer columns by jsonPath, whatever the declaration order.
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Assigned-To", jsonPath = ".status.assignedTo", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PCI", jsonPath = ".spec.pciAddress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.nodeName", type = AdditionalPrinterColumn.Type.STRING)
public class PhysicalIOAdapter extends CustomResource<PhysicalIOAdapterSpec, PhysicalIOAdapterStatus> {
    /**
     * No status until the node agent writes one. An empty status object here would make every first status
     * patch (a JSON patch computed against it) address paths under a /status the server does not have.
     */
    @Override
    protected PhysicalIOAdapterStatus initStatus() {
        return null;
    }
}
