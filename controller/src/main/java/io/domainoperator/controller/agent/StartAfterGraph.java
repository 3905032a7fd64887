package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.reconciler.Dependencies;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The startAfter neighbourhood of one DomainConfig, from the namespace's DomainConfigs in the informer cache: their
 * startAfter lists, phases and, for those with a readiness probe, whether their guest is up (GuestReady True).
 * The rule (rule 6 and 11) is the engine's; this only gathers its input.
 */
final class StartAfterGraph {
    /**
     * The primary cache's index of DomainConfigs by each "namespace/name" their startAfter names: a domain's dependents
     * are found by one lookup, not by a scan of its namespace on every reconcile (1,000 domains in a namespace made each
     * pass, and each status change's event mapping, cost a walk over all of them).
     */
    static final String DEPENDENTS_INDEX = "startAfter";

    private StartAfterGraph() {
    }

    /** The index keys of a DomainConfig: "namespace/name" of each DomainConfig it starts after. */
    static List<String> indexKeys(DomainConfig dc) {
        if (dc.getSpec() == null || dc.getSpec().getStartAfter().isEmpty()) {
            return List.of();
        }
        String ns = dc.getMetadata().getNamespace();
        return dc.getSpec().getStartAfter().stream().map(n -> ns + "/" + n).toList();
    }

    /** The DomainConfigs of dc's namespace that start after it (from {@link #DEPENDENTS_INDEX}). */
    static List<DomainConfig> dependentsOf(DomainConfig dc, IndexedResourceCache<DomainConfig> cache) {
        return cache.byIndex(DEPENDENTS_INDEX, dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName());
    }

    /**
     * As {@link #of}, from what the rule reads only: the DomainConfigs dc starts after, transitively (the cycle check
     * walks them), and those that start after dc; found by name and through {@link #DEPENDENTS_INDEX}, in time
     * proportional to that neighbourhood, not to the namespace.
     */
    static Dependencies around(DomainConfig dc, IndexedResourceCache<DomainConfig> cache) {
        String ns = dc.getMetadata().getNamespace();
        Map<String, DomainConfig> near = new HashMap<>();
        near.put(dc.getMetadata().getName(), dc);
        Deque<String> todo = new ArrayDeque<>(dc.getSpec().getStartAfter());
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (near.containsKey(name)) {
                continue;
            }
            cache.get(new ResourceID(name, ns)).ifPresent(other -> {
                near.put(name, other);
                if (other.getSpec() != null) {
                    todo.addAll(other.getSpec().getStartAfter());
                }
            });
        }
        dependentsOf(dc, cache).forEach(d -> near.putIfAbsent(d.getMetadata().getName(), d));
        return of(dc, near.values().stream());
    }

    static Dependencies of(DomainConfig dc, Stream<DomainConfig> namespace) {
        Map<String, List<String>> startAfter = new HashMap<>();
        Map<String, DomainPhase> phases = new HashMap<>();
        Map<String, Boolean> guestReady = new HashMap<>();
        namespace.forEach(other -> {
            String name = other.getMetadata().getName();
            if (other.getSpec() != null) {
                startAfter.put(name, other.getSpec().getStartAfter());
                if (other.getSpec().getReadinessProbe() != null) {
                    Condition c = other.getStatus() == null ? null : other.getStatus().condition(Conditions.GUEST_READY);
                    guestReady.put(name, c != null && Conditions.TRUE.equals(c.getStatus()));
                }
            }
            phases.put(name, other.getStatus() == null ? null : other.getStatus().getPhase());
        });
        startAfter.putIfAbsent(dc.getMetadata().getName(), dc.getSpec().getStartAfter());
        return Dependencies.of(dc.getMetadata().getName(), startAfter, phases, guestReady);
    }
}
