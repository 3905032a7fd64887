package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.reconciler.Dependencies;
import io.fabric8.kubernetes.api.model.Condition;
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
    private StartAfterGraph() {
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
