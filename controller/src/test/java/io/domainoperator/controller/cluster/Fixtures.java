package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import io.domainoperator.testing.Specs;

/** Builders for the objects the cluster controller reads. */
final class Fixtures {
    static final long MIB = 1024L * 1024;

    private Fixtures() {
    }

    static DomainConfig domain(String namespace, String name, int memoryMiB, String... adapters) {
        return Specs.domainConfig(namespace, name,
            Specs.minimal(name, 1, memoryMiB, spec -> spec.setAdapters(new java.util.ArrayList<>(List.of(adapters)))));
    }

    static DomainConfig placed(DomainConfig domain, String node, DomainPhase phase) {
        domain.getSpec().setNodeName(node);
        domain.getMetadata().setLabels(new java.util.HashMap<>(Map.of(DomainConfig.NODE_LABEL, node)));
        if (domain.getStatus() == null) {
            domain.setStatus(new io.domainoperator.api.v1alpha1.DomainConfigStatus());
        }
        domain.getStatus().setPhase(phase);
        return domain;
    }

    static PhysicalIOAdapter adapter(String name, String node, AdapterType type) {
        PhysicalIOAdapterSpec spec = new PhysicalIOAdapterSpec();
        spec.setNodeName(node);
        spec.setType(type);
        PhysicalIOAdapter adapter = new PhysicalIOAdapter();
        adapter.setMetadata(new ObjectMetaBuilder().withName(name).build());
        adapter.setSpec(spec);
        return adapter;
    }

    static NodeLease lease(String node, Instant renewed, long freeMiB) {
        return new NodeLease(node, renewed, NodeLease.DEFAULT_DURATION, 2 * freeMiB * MIB, freeMiB * MIB, 8, "sim");
    }

    static Lease leaseObject(String namespace, String node, Instant renewed, long freeMiB) {
        return new LeaseBuilder().withNewMetadata().withNamespace(namespace).withName(NodeLease.leaseName(node))
            .withAnnotations(Map.of(NodeLease.MEMORY_FREE_ANNOTATION, Long.toString(freeMiB * MIB),
                NodeLease.MEMORY_TOTAL_ANNOTATION, Long.toString(2 * freeMiB * MIB),
                NodeLease.CPUS_ANNOTATION, "8", NodeLease.HYPERVISOR_ANNOTATION, "sim"))
            .endMetadata()
            .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40)
            .withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
    }
}
