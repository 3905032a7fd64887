package io.domainoperator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A virtual machine the fleet keeps in its declared state. */
@Group(DomainConfig.GROUP)
@Version(DomainConfig.VERSION)
@Kind("DomainConfig")
@Plural("domainconfigs")
@Singular("domainconfig")
@ShortNames("dom")
// The CRD generator orders printer columns by jsonPath, whatever the declaration order.
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "DomID", jsonPath = ".status.domainId", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".spec.memoryMiB", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "VCPUs", jsonPath = ".spec.vcpus", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.node", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
public class DomainConfig extends CustomResource<DomainConfigSpec, DomainConfigStatus> implements Namespaced {
    public static final String GROUP = "domainoperator.io";
    public static final String VERSION = "v1alpha1";
    /** Finalizer the node agent holds until the domain is halted and its adapters released. */
    public static final String FINALIZER = "domainoperator.io/halt";
    /** Label mirroring spec.nodeName so that a node agent can select only its own domains. */
    public static final String NODE_LABEL = "domainoperator.io/node";

    /**
     * No status until the node agent writes one. An empty status object here would make every first status
     * patch (a JSON patch computed against it) address paths under a /status the server does not have.
     */
    @Override
    protected DomainConfigStatus initStatus() {
        return null;
    }
}
