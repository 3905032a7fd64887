package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass of the cluster controller as a pure function: (domains, node heartbeats, adapters, now) to the
 * writes to make. Observe (what the caches hold), decide (here), act ({@link DomainWriter}).
 *
 * <p>Rules, per DomainConfig:
 * <ul>
 *   <li>Invalid spec, or a uuid / display name that another DomainConfig of the namespace also uses:
 *       SpecValid=False reason InvalidSpec naming the field(s), and so Ready=False (see
 *       {@link io.domainoperator.api.v1alpha1.ReadyCondition}). Not placed; an unplaced one gets Placed=False
 *       reason InvalidSpec and phase Broken (the phase the API documents for "cannot run: invalid spec";
 *       Pending would suggest it is only waiting for room). On a placed one an InvalidSpec the agent
 *       already wrote in its own words stays Ready's wording.</li>
 *   <li>Valid and unplaced: placed by {@link Placement} (spec.nodeName and the node label written,
 *       Placed=True, phase Scheduled), or Placed=False reason NoFit with the per-constraint counts and
 *       phase Pending.</li>
 *   <li>Placed (by us or by the user): the node label mirrors spec.nodeName; Placed=True; if the node's
 *       heartbeat Lease is stale or missing, NodeLost=True reason NodeNotResponding and phase Unknown (never
 *       moved, never deleted); once it is fresh again, NodeLost is removed and the agent reports the phase.</li>
 * </ul>
 *
 * <p>Memory for placement is the free memory a node last reported minus the maximum memory of the domains
 * already placed there that have not started yet (phase none, Pending, Scheduled, Booting or Broken and
 * active), so that a burst of placements between two heartbeats cannot overcommit a node. A domain that is
 * Booting may already be counted in the node's report; counting it twice only delays the next placement
 * by one heartbeat.
 */
public final class ClusterDecider {
    /**
     * Reason of Placed=True, whoever chose the node (this controller or a user writing spec.nodeName): one
     * reason and message per node, so a pass working from a cache that lags its own write cannot flip it.
     */
    public static final String NODE_ASSIGNED = "NodeAssigned";

    private static final Set<DomainPhase> NOT_STARTED = EnumSet.of(DomainPhase.Pending, DomainPhase.Scheduled,
        DomainPhase.Booting, DomainPhase.Broken);
    private static final Set<String> BEFORE_SCHEDULED = Set.of(OwnedStatus.NO_PHASE, DomainPhase.Pending.name(),
        DomainPhase.Broken.name());

    private ClusterDecider() {
    }

    /** {@code namespace/name}. */
    public static String key(DomainConfig domain) {
        return domain.getMetadata().getNamespace() + "/" + domain.getMetadata().getName();
    }

    /** The writes one pass should make, one entry per DomainConfig that needs any; no node cordoned. */
    public static List<DomainDecision> decide(List<DomainConfig> domains, List<NodeLease> leases,
                                              List<PhysicalIOAdapter> adapters, String leaseNamespace, Instant now) {
        return decide(domains, leases, adapters, Set.of(), leaseNamespace, now);
    }

    /**
     * The writes one pass should make, one entry per DomainConfig that needs any.
     *
     * @param cordoned nodes placement must not choose ({@link NodeMaintenance#cordoned()}); a domain already there
     *                 stays (drain moves it)
     */
    public static List<DomainDecision> decide(List<DomainConfig> domains, List<NodeLease> leases,
                                              List<PhysicalIOAdapter> adapters, Set<String> cordoned,
                                              String leaseNamespace, Instant now) {
        Map<String, NodeLease> nodes = new HashMap<>();
        leases.forEach(l -> nodes.put(l.nodeName(), l));
        Map<String, List<FieldError>> problems = SpecProblems.find(domains);

        List<DomainConfig> unplaced = new ArrayList<>();
        List<DomainDecision> decisions = new ArrayList<>();
        for (DomainConfig domain : domains) {
            String key = key(domain);
            List<FieldError> errors = problems.get(key);
            String nodeName = domain.getSpec() == null ? null : blankToNull(domain.getSpec().getNodeName());
            if (nodeName != null) {
                decisions.add(placed(domain, nodeName, nodes.get(nodeName), leaseNamespace, now, errors));
            } else if (errors != null) {
                decisions.add(invalidUnplaced(domain, errors));
            } else if (domain.getMetadata().getDeletionTimestamp() == null) {
                unplaced.add(domain);
            }
        }
        decisions.addAll(placeAll(unplaced, domains, nodes, adapters, problems.keySet(), cordoned, now));
        Map<String, DomainConfig> byKey = domains.stream().collect(Collectors.toMap(ClusterDecider::key, d -> d, (a, b) -> a));
        return decisions.stream().filter(d -> d.needsWrite(byKey.get(d.key()), now)).toList();
    }

    private static DomainDecision invalidUnplaced(DomainConfig domain, List<FieldError> errors) {
        Map<String, Condition> put = new LinkedHashMap<>();
        put.put(Conditions.SPEC_VALID, invalidSpec(errors));
        put.put(Conditions.PLACED, OwnedStatus.condition(Conditions.PLACED, Conditions.FALSE, Conditions.INVALID_SPEC,
            "not placed until the spec is fixed: " + fields(errors)));
        return new DomainDecision(key(domain), null, null,
            new OwnedStatus(put, Set.of(Conditions.NODE_LOST), false, DomainPhase.Broken, null));
    }

    private static Condition invalidSpec(List<FieldError> errors) {
        return OwnedStatus.condition(Conditions.SPEC_VALID, Conditions.FALSE, Conditions.INVALID_SPEC, OwnedStatus.INVALID_SPEC_PREFIX
            + fields(errors) + ": " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }

    private static String fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
    }

    /** A placed domain: label, Placed, node liveness, and (errors not null) its invalid spec. */
    private static DomainDecision placed(DomainConfig domain, String nodeName, NodeLease lease, String leaseNamespace,
                                         Instant now, List<FieldError> errors) {
        Map<String, Condition> put = new LinkedHashMap<>();
        put.put(Conditions.PLACED, assigned(nodeName));
        if (errors != null) {
            put.put(Conditions.SPEC_VALID, invalidSpec(errors));
        }
        boolean specFoundValid = errors == null;
        if (lease != null && lease.isFresh(now)) {
            return new DomainDecision(key(domain), null, mirrorLabel(domain, nodeName),
                new OwnedStatus(put, Set.of(Conditions.NODE_LOST), specFoundValid, null, null));
        }
        String leaseRef = leaseNamespace + "/" + NodeLease.leaseName(nodeName);
        String message = lease == null || lease.renewTime() == null
            ? "node " + nodeName + " has no heartbeat (no Lease " + leaseRef + "); is its node agent running?"
            : "node " + nodeName + " last renewed its heartbeat Lease " + leaseRef + " at " + lease.renewTime()
                + " (lease duration " + lease.leaseDuration().toSeconds() + " s)";
        put.put(Conditions.NODE_LOST, OwnedStatus.condition(Conditions.NODE_LOST, Conditions.TRUE,
            Conditions.NODE_NOT_RESPONDING, message + "; the domain stays assigned to it (its disks live there) "
                + "and recovers when the agent is back; if the node is gone for good, delete its Node object or taint it "
                + GoneNodes.OUT_OF_SERVICE_TAINT + " (the domain is then released) and set spec.nodeName to another node"));
        return new DomainDecision(key(domain), null, mirrorLabel(domain, nodeName),
            new OwnedStatus(put, Set.of(), specFoundValid, DomainPhase.Unknown, null));
    }

    private static Condition assigned(String nodeName) {
        return OwnedStatus.condition(Conditions.PLACED, Conditions.TRUE, NODE_ASSIGNED, "assigned to node " + nodeName);
    }

    private static List<DomainDecision> placeAll(List<DomainConfig> unplaced, List<DomainConfig> all,
                                                 Map<String, NodeLease> nodes, List<PhysicalIOAdapter> adapters,
                                                 Set<String> invalid, Set<String> cordoned, Instant now) {
        if (unplaced.isEmpty()) {
            return List.of();
        }
        Map<String, Long> reserved = new HashMap<>();
        for (DomainConfig domain : all) {
            String node = domain.getSpec() == null ? null : blankToNull(domain.getSpec().getNodeName());
            if (node != null && !invalid.contains(key(domain)) && notStartedYet(domain)) {
                reserved.merge(node, (long) domain.getSpec().effectiveMaxMemoryMiB(), Long::sum);
            }
        }
        List<NodeCapacity> capacities = nodes.values().stream()
            .map(l -> new NodeCapacity(l.nodeName(), l.isFresh(now), l.memoryFreeMiB() - reserved.getOrDefault(l.nodeName(), 0L),
                cordoned.contains(l.nodeName())))
            .toList();
        List<DomainRequest> requests = unplaced.stream()
            .sorted(Comparator.comparing((DomainConfig d) -> Objects.toString(d.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(ClusterDecider::key))
            .map(d -> new DomainRequest(key(d), d.getSpec().effectiveMaxMemoryMiB(), d.getSpec().getAdapters()))
            .toList();
        Placement.Result result = Placement.place(requests, capacities, adapterViews(adapters, all));

        List<DomainDecision> decisions = new ArrayList<>();
        for (DomainConfig domain : unplaced) {
            String key = key(domain);
            String node = result.assignments().get(key);
            if (node != null) {
                Map<String, Condition> put = Map.of(Conditions.PLACED, assigned(node));
                decisions.add(new DomainDecision(key, node, null,
                    new OwnedStatus(put, Set.of(Conditions.NODE_LOST), true, DomainPhase.Scheduled, BEFORE_SCHEDULED)));
            } else {
                NoFit noFit = result.noFits().get(key);
                Map<String, Condition> put = Map.of(Conditions.PLACED, OwnedStatus.condition(Conditions.PLACED, Conditions.FALSE,
                    Conditions.NO_FIT, noFit.message()));
                decisions.add(new DomainDecision(key, null, null,
                    new OwnedStatus(put, Set.of(Conditions.NODE_LOST), true, DomainPhase.Pending, null)));
            }
        }
        return decisions;
    }

    /**
     * Adapters as placement sees them. An adapter is held by the domain its status names, or else claimed by
     * a DomainConfig already placed on its node that lists it (the agent has not assigned it yet).
     */
    public static Map<String, AdapterView> adapterViews(List<PhysicalIOAdapter> adapters, List<DomainConfig> domains) {
        Map<String, String> claims = new HashMap<>();
        domains.stream()
            .filter(d -> d.getSpec() != null && blankToNull(d.getSpec().getNodeName()) != null)
            .sorted(Comparator.comparing(ClusterDecider::key))
            .forEach(d -> d.getSpec().getAdapters().forEach(a -> claims.putIfAbsent(d.getSpec().getNodeName() + "/" + a, key(d))));
        Map<String, AdapterView> views = new HashMap<>();
        for (PhysicalIOAdapter adapter : adapters) {
            PhysicalIOAdapterSpec spec = adapter.getSpec();
            String name = adapter.getMetadata().getName();
            if (spec == null) {
                views.put(name, new AdapterView(name, null, "no spec", null));
                continue;
            }
            String holder = adapter.getStatus() == null ? null : blankToNull(adapter.getStatus().getAssignedTo());
            if (holder == null) {
                holder = claims.get(spec.getNodeName() + "/" + name);
            }
            views.put(name, new AdapterView(name, spec.getNodeName(), refusal(spec), holder));
        }
        return views;
    }

    private static String refusal(PhysicalIOAdapterSpec spec) {
        if (spec.keepInHostOrDefault()) {
            return "keepInHost is set";
        }
        if (spec.usageOrDefault() == io.domainoperator.api.v1alpha1.AdapterUsage.Dom0) {
            return "usage Dom0: host only";
        }
        if (spec.getType() != null && spec.getType().isWireless()) {
            return spec.getType() + " radios stay with the host";
        }
        return null;
    }

    private static boolean notStartedYet(DomainConfig domain) {
        DomainConfigSpec spec = domain.getSpec();
        if (!spec.isActive() || spec.getMemoryMiB() == null) {
            return false;
        }
        DomainPhase phase = domain.getStatus() == null ? null : domain.getStatus().getPhase();
        return phase == null || NOT_STARTED.contains(phase);
    }

    private static String mirrorLabel(DomainConfig domain, String nodeName) {
        if (nodeName == null) {
            return null;
        }
        Map<String, String> labels = domain.getMetadata().getLabels();
        return labels != null && nodeName.equals(labels.get(DomainConfig.NODE_LABEL)) ? null : nodeName;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
