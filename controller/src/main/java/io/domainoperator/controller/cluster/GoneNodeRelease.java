package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.controller.agent.NodeHandover;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What the cluster controller writes on behalf of a node declared gone ({@link GoneNodes}): the release that node
 * would have written had it halted the domain itself. Pure: (DomainConfigs, gone nodes) to the writes.
 * <ul>
 *   <li>A DomainConfig whose status says a domain may run on the gone node ({@link NodeHandover#previousNode}) is
 *       released: phase Pending, {@code status.node} cleared, Booted and Ready False with reason {@value #REASON}
 *       naming the node and what declared it gone. The node spec.nodeName names (after an edit) then boots it, and
 *       no longer waits for the gone node for ever.</li>
 *   <li>A DomainConfig being deleted whose spec.nodeName is the gone node, and that no other node may still run, has
 *       its finalizer removed: only that node's agent would have, after halting the domain.</li>
 * </ul>
 */
final class GoneNodeRelease {
    static final String REASON = "NodeGone";

    private GoneNodeRelease() {
    }

    /** One write: {@code status} is the released status, or null for a finalizer removal. */
    record Write(DomainConfig about, String node, DomainConfigStatus status, String message) {
    }

    static List<Write> decide(Collection<DomainConfig> domains, GoneNodes gone, Instant now) {
        if (gone.why().isEmpty()) {
            return List.of();
        }
        List<Write> writes = new ArrayList<>();
        for (DomainConfig dc : domains.stream().sorted(Comparator.comparing(ClusterDecider::key)).toList()) {
            String reported = dc.getStatus() == null ? null : NodeHandover.previousNode(dc, null);
            String named = dc.getSpec() == null ? null : ClusterDecider.blankToNull(dc.getSpec().getNodeName());
            if (gone.contains(reported)) {
                String message = "node " + reported + " was declared gone (" + gone.why().get(reported) + "): the"
                    + " cluster controller released the domain on its behalf" + (named == null || named.equals(reported)
                    ? "; it runs nowhere until spec.nodeName names a live node" : "; " + named + " boots it");
                writes.add(new Write(dc, reported, released(dc, message, now), message));
            } else if (dc.getMetadata().getDeletionTimestamp() != null && gone.contains(named) && holdsFinalizer(dc)
                && reported == null) {
                writes.add(new Write(dc, named, null, "node " + named + " was declared gone (" + gone.why().get(named)
                    + "): the cluster controller removed the finalizer " + DomainConfig.FINALIZER + " on its behalf and"
                    + " the deletion completes (nothing could be halted or cleaned up on " + named + ")"));
            }
        }
        return writes;
    }

    private static boolean holdsFinalizer(DomainConfig dc) {
        return dc.getMetadata().getFinalizers() != null && dc.getMetadata().getFinalizers().contains(DomainConfig.FINALIZER);
    }

    /** The status the gone node's agent would have written on releasing the domain (as {@code NodeMove} does). */
    static DomainConfigStatus released(DomainConfig dc, String message, Instant now) {
        return io.domainoperator.controller.agent.ReleasedStatus.of(dc, REASON, message, now);
    }
}
