package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which nodes are out of service, as their Node objects say: cordoned ({@code kubectl cordon}, spec.unschedulable)
 * or labelled {@value MigrationConditions#MAINTENANCE_LABEL}{@code =true}. Placement and migration targets avoid
 * both; drain empties the nodes that are both (a cordon alone only stops new arrivals, as for pods).
 *
 * @param cordoned nodes no new domain may go to
 * @param draining nodes whose domains drain moves off
 */
public record NodeMaintenance(Set<String> cordoned, Set<String> draining) {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMaintenance.class);
    public static final NodeMaintenance NONE = new NodeMaintenance(Set.of(), Set.of());

    public NodeMaintenance {
        cordoned = Set.copyOf(cordoned);
        draining = Set.copyOf(draining);
    }

    /** From Node objects; pure. */
    public static NodeMaintenance of(List<Node> nodes) {
        Set<String> cordoned = new HashSet<>();
        Set<String> draining = new HashSet<>();
        for (Node n : nodes) {
            boolean unschedulable = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
            boolean maintenance = n.getMetadata().getLabels() != null
                && "true".equals(n.getMetadata().getLabels().get(MigrationConditions.MAINTENANCE_LABEL));
            if (unschedulable || maintenance) {
                cordoned.add(n.getMetadata().getName());
            }
            if (unschedulable && maintenance) {
                draining.add(n.getMetadata().getName());
            }
        }
        return new NodeMaintenance(cordoned, draining);
    }

    /**
     * The Node objects as the API server has them now. A cluster whose nodes cannot be read (no Node objects, no
     * permission) has none out of service: placement goes on as before drain existed.
     */
    static NodeMaintenance read(KubernetesClient client) {
        try {
            return of(client.nodes().list().getItems());
        } catch (RuntimeException e) {
            LOG.debug("nodes not readable, none counts as cordoned: {}", e.getMessage());
            return NONE;
        }
    }
}
