package io.domainoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nodes declared gone for good, the Kubernetes way, and so no longer able to run a domain: a node whose Node object
 * carries the taint {@value #OUT_OF_SERVICE_TAINT} (any effect: Kubernetes' non-graceful node shutdown, which an
 * administrator sets once the node is shut down), or whose Node object was deleted. Only these: a NotReady node or a
 * stale heartbeat may be a partitioned node that still runs its guests (the xenopsd rule), so neither declares a node
 * gone; and a node whose agent still renews its heartbeat is never gone, whatever its Node object says (as
 * Kubernetes' pod GC acts on an out-of-service node only once it is also NotReady).
 *
 * <p>A deletion leaves nothing to look at, so the controller records on each node's heartbeat Lease the uid of the
 * Node object it saw ({@value #NODE_UID_ANNOTATION}); a Lease that carries one while no Node of that name exists is a
 * deleted node. This survives a change of leader, and a node that never had a Node object (standalone agents, a test
 * server without kubelets) is never taken for a deleted one. Pure: (Node objects, heartbeat Leases, now).
 *
 * @param why for each node declared gone, what declared it (for status, Events and logs)
 */
public record GoneNodes(Map<String, String> why) {
    public static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";
    /** On a node's heartbeat Lease: the uid of the Node object the controller saw for it. */
    public static final String NODE_UID_ANNOTATION = "domainoperator.io/node-uid";
    public static final GoneNodes NONE = new GoneNodes(Map.of());

    public GoneNodes {
        why = Map.copyOf(why);
    }

    public boolean contains(String node) {
        return node != null && why.containsKey(node);
    }

    /**
     * @param nodes  the Node objects as the API server listed them just now (never a cache that may lag a creation)
     * @param leases the node heartbeat Leases
     */
    public static GoneNodes of(List<Node> nodes, List<Lease> leases, Instant now) {
        Map<String, Node> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.getMetadata().getName(), n));
        Map<String, Lease> heartbeats = new HashMap<>();
        leases.stream().filter(NodeLease::isNodeLease).forEach(l -> heartbeats.put(NodeLease.from(l).nodeName(), l));
        Map<String, String> gone = new TreeMap<>();
        for (Node n : nodes) {
            String name = n.getMetadata().getName();
            Taint taint = outOfService(n);
            if (taint != null && !alive(heartbeats.get(name), now)) {
                gone.put(name, "its Node carries the taint " + OUT_OF_SERVICE_TAINT
                    + (taint.getValue() == null || taint.getValue().isBlank() ? "" : "=" + taint.getValue()) + ":"
                    + taint.getEffect() + " (non-graceful node shutdown: the node is declared shut down)");
            }
        }
        heartbeats.forEach((name, lease) -> {
            String uid = recordedUid(lease);
            if (uid != null && !byName.containsKey(name) && !alive(lease, now)) {
                gone.put(name, "its Node object (uid " + uid + ") was deleted");
            }
        });
        return gone.isEmpty() ? NONE : new GoneNodes(gone);
    }

    /** Heartbeat Leases (by name) whose recorded Node uid is missing or differs from the Node object's now. */
    public static Map<String, String> uidsToRecord(List<Node> nodes, List<Lease> leases) {
        Map<String, String> uids = new HashMap<>();
        nodes.forEach(n -> uids.put(n.getMetadata().getName(), n.getMetadata().getUid()));
        Map<String, String> out = new TreeMap<>();
        for (Lease lease : leases) {
            if (!NodeLease.isNodeLease(lease)) {
                continue;
            }
            String uid = uids.get(NodeLease.from(lease).nodeName());
            if (uid != null && !uid.equals(recordedUid(lease))) {
                out.put(lease.getMetadata().getName(), uid);
            }
        }
        return out;
    }

    private static Taint outOfService(Node n) {
        if (n.getSpec() == null || n.getSpec().getTaints() == null) {
            return null;
        }
        return n.getSpec().getTaints().stream().filter(t -> OUT_OF_SERVICE_TAINT.equals(t.getKey())).findFirst()
            .orElse(null);
    }

    private static boolean alive(Lease heartbeat, Instant now) {
        return heartbeat != null && NodeLease.from(heartbeat).isFresh(now);
    }

    private static String recordedUid(Lease lease) {
        Map<String, String> a = lease.getMetadata().getAnnotations();
        String uid = a == null ? null : a.get(NODE_UID_ANNOTATION);
        return uid == null || uid.isBlank() ? null : uid;
    }
}
