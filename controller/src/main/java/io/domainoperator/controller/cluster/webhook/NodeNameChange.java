package io.domainoperator.controller.cluster.webhook;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.controller.agent.NodeHandover;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A running domain is not moved by editing {@code spec.nodeName}: a user who does it most likely expects a move,
 * and a move of a running guest is either live (a DomainMigration) or a halt and a boot, which the user should ask
 * for knowingly. So the edit is refused while the old node's status says a domain may run there, naming both ways.
 * One writer may make that edit: the cluster controller, after a live migration handed the guest over to the node
 * it now names (the guest already runs there). Without this webhook (or while it is down) the agents still keep the
 * xenopsd rule: the old node halts and releases the domain before the new one boots it.
 */
final class NodeNameChange {
    private NodeNameChange() {
    }

    static Optional<FieldError> refusal(DomainConfig old, DomainConfig candidate, List<DomainMigration> migrations) {
        if (old == null || old.getSpec() == null || candidate.getSpec() == null || old.getStatus() == null) {
            return Optional.empty();
        }
        String from = blankToNull(old.getSpec().getNodeName());
        String to = blankToNull(candidate.getSpec().getNodeName());
        String runsOn = old.getStatus().getNode();
        if (from == null || Objects.equals(from, to) || !from.equals(runsOn)
            || !NodeHandover.domainMayExist(old.getStatus().getPhase()) || handedOverTo(candidate, to, migrations)) {
            return Optional.empty();
        }
        String name = candidate.getMetadata().getName();
        return Optional.of(new FieldError("spec.nodeName", "DomainConfig " + name + " runs on node " + from + " (phase "
            + old.getStatus().getPhase() + "); its node is not changed while it runs. To move it without a reboot, create a"
            + " DomainMigration: kubectl create -f - with apiVersion domainoperator.io/v1alpha1, kind DomainMigration,"
            + " spec {domainConfig: " + name + (to == null ? "" : ", targetNode: " + to) + "}; or halt it first"
            + " (spec.activate: false) and change spec.nodeName once it is Halted"));
    }

    /** A live migration of this DomainConfig handed its guest over to {@code node}: the controller's own edit. */
    private static boolean handedOverTo(DomainConfig dc, String node, List<DomainMigration> migrations) {
        return node != null && migrations.stream().anyMatch(m -> m.getSpec() != null && m.getStatus() != null
            && dc.getMetadata().getNamespace().equals(m.getMetadata().getNamespace())
            && dc.getMetadata().getName().equals(m.getSpec().getDomainConfig())
            && node.equals(m.getStatus().getTargetNode()) && m.getStatus().getHandoverTime() != null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
