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

/**
 * A request to move one running domain live to another node, as KubeVirt's VirtualMachineInstanceMigration is: one
 * object per move, kept afterwards as its record. The cluster controller checks the domain and picks (or checks)
 * the target; the target node's agent prepares an incoming domain, the source node's agent migrates to it, and
 * the two agents learn of each other only through this object's status.
 */
@Group(DomainConfig.GROUP)
@Version(DomainConfig.VERSION)
@Kind("DomainMigration")
@Plural("domainmigrations")
@Singular("domainmigration")
@ShortNames("dmig")
// The CRD generator orders printer columns by jsonPath, whatever the declaration order.
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Domain", jsonPath = ".spec.domainConfig", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Downtime-ms", jsonPath = ".status.downtimeMillis", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".status.sourceNode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".status.targetNode", type = AdditionalPrinterColumn.Type.STRING)
public class DomainMigration extends CustomResource<DomainMigrationSpec, DomainMigrationStatus> implements Namespaced {

    /** No status until the cluster controller writes one (see {@link DomainConfig#initStatus()}). */
    @Override
    protected DomainMigrationStatus initStatus() {
        return null;
    }
}
