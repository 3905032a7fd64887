package io.domainoperator.controller.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses a node for each unplaced domain. Pure: no client, no clock; the same input gives the same output.
 *
 * <p>Rules, in the order a node is checked (the first that fails is the one counted in a {@link NoFit}):
 * <ol>
 *   <li>the node's agent is alive (its heartbeat Lease is fresh);</li>
 *   <li>the node is not cordoned nor labelled for maintenance ({@link NodeCapacity#cordoned()}): a node being
 *       drained must not take back what drain moves off it, nor new domains;</li>
 *   <li>the node holds every adapter the domain asks for, each assignable (not kept in host, not host-only,
 *       not a radio) and free (held by nobody, or by this domain);</li>
 *   <li>the node has at least the domain's maximum memory free.</li>
 * </ol>
 * Among the nodes that fit, the one with the most free memory wins, then the smaller name: domains spread
 * over the fleet, and a rerun over the same input picks the same node.
 *
 * <p>Domains that ask for adapters are placed first (each adapter lives on exactly one node, so they have
 * one candidate; letting memory-only domains fill that node first would strand them); otherwise requests are
 * taken in the order given (the caller passes them oldest first).
 *
 * <p>{@code startAfter} does not constrain placement: node agents read the status of the domains they
 * wait for through the API server, whichever node those run on, so co-locating them buys nothing and
 * spreading them is always allowed.
 *
 * <p>Cost: O(log n) per memory-only domain (a sorted set of live nodes keyed by free memory), O(adapters +
 * log n) per domain with adapters; an explanation for a domain that fits nowhere costs O(1) more.
 */
public final class Placement {
    private static final Comparator<MutableNode> MOST_FREE_FIRST =
        Comparator.comparingLong((MutableNode n) -> -n.free).thenComparing(n -> n.name);

    /** The NoFit reason of a node placement must not use (counted once per such node). */
    static final String CORDONED = "cordoned or in maintenance (uncordon it to use it again)";

    private final Map<String, MutableNode> nodes = new HashMap<>();
    private final TreeSet<MutableNode> live = new TreeSet<>(MOST_FREE_FIRST);
    private final Map<String, AdapterView> adapters;
    private final int nodeCount;
    /** Live nodes left out of {@link #live} because they are cordoned. */
    private final int cordonedAlive;

    private Placement(Collection<NodeCapacity> capacities, Map<String, AdapterView> adapters) {
        int cordonedNodes = 0;
        for (NodeCapacity capacity : capacities) {
            MutableNode node = new MutableNode(capacity.name(), capacity.alive(), capacity.cordoned(), capacity.freeMemoryMiB());
            if (nodes.putIfAbsent(node.name, node) == null && node.alive) {
                if (node.cordoned) {
                    cordonedNodes++;
                } else {
                    live.add(node);
                }
            }
        }
        this.cordonedAlive = cordonedNodes;
        this.nodeCount = nodes.size();
        this.adapters = new HashMap<>(adapters);
    }

    /** Places {@code requests} onto {@code capacities}; {@code adapters} by object name. */
    public static Result place(List<DomainRequest> requests, Collection<NodeCapacity> capacities,
                               Map<String, AdapterView> adapters) {
        Placement placement = new Placement(capacities, adapters);
        List<DomainRequest> ordered = new ArrayList<>(requests.size());
        requests.stream().filter(r -> !r.adapters().isEmpty()).forEach(ordered::add);
        requests.stream().filter(r -> r.adapters().isEmpty()).forEach(ordered::add);
        Map<String, String> assignments = new LinkedHashMap<>();
        Map<String, NoFit> noFits = new LinkedHashMap<>();
        for (DomainRequest request : ordered) {
            Object outcome = request.adapters().isEmpty()
                ? placement.placeByMemory(request) : placement.placeWithAdapters(request);
            if (outcome instanceof String node) {
                assignments.put(request.key(), node);
            } else {
                noFits.put(request.key(), (NoFit) outcome);
            }
        }
        return new Result(assignments, noFits);
    }

    /** Returns the chosen node's name, or a {@link NoFit}. */
    private Object placeByMemory(DomainRequest request) {
        MutableNode best = live.isEmpty() ? null : live.first();
        if (best != null && best.free >= request.memoryMiB()) {
            take(best, request.memoryMiB());
            return best.name;
        }
        // The live node with the most memory is too small, so every live node is.
        Map<String, Integer> reasons = new TreeMap<>();
        count(reasons, notResponding(), nodeCount - live.size() - cordonedAlive);
        count(reasons, CORDONED, cordonedAlive);
        count(reasons, insufficientMemory(request), live.size());
        return new NoFit(nodeCount, reasons);
    }

    private Object placeWithAdapters(DomainRequest request) {
        Set<String> holding = new LinkedHashSet<>();
        for (String name : request.adapters()) {
            AdapterView adapter = adapters.get(name);
            if (adapter == null || adapter.nodeName() == null) {
                return new NoFit(nodeCount, Map.of("missing adapter " + name + " (no PhysicalIOAdapter of that name)", nodeCount));
            }
            holding.add(adapter.nodeName());
        }
        Map<String, Integer> reasons = new TreeMap<>();
        int candidatesKnown = 0;
        for (String nodeName : holding) {
            MutableNode node = nodes.get(nodeName);
            if (node == null) {
                continue;
            }
            candidatesKnown++;
            String failure = check(node, request);
            if (failure == null) {
                take(node, request.memoryMiB());
                for (String name : request.adapters()) {
                    adapters.put(name, adapters.get(name).heldBy(request.key()));
                }
                return node.name;
            }
            count(reasons, failure, 1);
        }
        // Every other node lacks at least the first adapter, which lives elsewhere.
        count(reasons, "missing adapter " + request.adapters().getFirst(), nodeCount - candidatesKnown);
        return new NoFit(nodeCount, reasons);
    }

    /** The first constraint {@code node} fails for {@code request}, or null when it fits. */
    private String check(MutableNode node, DomainRequest request) {
        if (!node.alive) {
            return notResponding();
        }
        if (node.cordoned) {
            return CORDONED;
        }
        for (String name : request.adapters()) {
            AdapterView adapter = adapters.get(name);
            if (!node.name.equals(adapter.nodeName())) {
                return "missing adapter " + name + " (it is on node " + adapter.nodeName() + ")";
            }
            if (adapter.refusal() != null) {
                return "adapter " + name + " not assignable (" + adapter.refusal() + ")";
            }
            if (adapter.holder() != null && !adapter.holder().equals(request.key())) {
                return "adapter " + name + " busy (held by " + adapter.holder() + ")";
            }
        }
        return node.free >= request.memoryMiB() ? null
            : "insufficient memory (need " + request.memoryMiB() + " MiB, " + Math.max(0, node.free) + " MiB free)";
    }

    private void take(MutableNode node, long memoryMiB) {
        live.remove(node);
        node.free -= memoryMiB;
        live.add(node);
    }

    private String insufficientMemory(DomainRequest request) {
        MutableNode best = live.isEmpty() ? null : live.first();
        return "insufficient memory (need " + request.memoryMiB() + " MiB"
            + (best == null ? "" : ", most free " + Math.max(0, best.free) + " MiB") + ")";
    }

    private static String notResponding() {
        return "not responding (heartbeat Lease expired)";
    }

    private static void count(Map<String, Integer> reasons, String reason, int nodes) {
        if (nodes > 0) {
            reasons.merge(reason, nodes, Integer::sum);
        }
    }

    /**
     * What a placement pass decided.
     *
     * @param assignments {@code namespace/name} to node name, in placement order
     * @param noFits      {@code namespace/name} to why no node fits
     */
    public record Result(Map<String, String> assignments, Map<String, NoFit> noFits) {
        public Result {
            assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
            noFits = Collections.unmodifiableMap(new LinkedHashMap<>(noFits));
        }
    }

    private static final class MutableNode {
        final String name;
        final boolean alive;
        final boolean cordoned;
        long free;

        MutableNode(String name, boolean alive, boolean cordoned, long free) {
            this.name = name;
            this.alive = alive;
            this.cordoned = cordoned;
            this.free = free;
        }
    }
}
