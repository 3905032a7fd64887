package io.domainoperator.controller.cluster.webhook;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.controller.cluster.AdapterView;
import io.domainoperator.controller.cluster.ClusterDecider;
import io.domainoperator.controller.cluster.SpecProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the admission webhook refuses, as a pure function of the object to be written and what the
 * controller's caches hold: the validator's field errors, a uuid or display name another DomainConfig of
 * the namespace uses (the cluster controller's own duplicate rule, {@link SpecProblems}), a {@code startAfter}
 * cycle through this object, and an adapter another DomainConfig holds (the placement view of
 * {@link ClusterDecider#adapterViews}). Each problem names its field.
 */
public final class DomainConfigAdmission {
    private DomainConfigAdmission() {
    }

    /**
     * @param candidate the DomainConfig as it would be stored (namespace and name set)
     * @param all       every DomainConfig the caches hold, in all namespaces (adapters are cluster-wide);
     *                  the candidate's stored version is ignored
     * @param adapters  every PhysicalIOAdapter
     */
    public static List<FieldError> problems(DomainConfig candidate, List<DomainConfig> all, List<PhysicalIOAdapter> adapters) {
        String namespace = candidate.getMetadata().getNamespace();
        String key = ClusterDecider.key(candidate);
        List<DomainConfig> others = all.stream().filter(d -> !ClusterDecider.key(d).equals(key)).toList();
        List<DomainConfig> sameNamespace = others.stream().filter(d -> namespace.equals(d.getMetadata().getNamespace())).toList();
        List<FieldError> errors = new ArrayList<>(SpecProblems.of(candidate, sameNamespace));
        if (candidate.getSpec() == null) {
            return errors;
        }
        StartAfterCycle.through(candidate, sameNamespace)
            .filter(cycle -> errors.stream().noneMatch(e -> e.field().equals(cycle.field())))
            .ifPresent(errors::add);
        errors.addAll(heldAdapters(candidate, others, adapters));
        return errors;
    }

    private static List<FieldError> heldAdapters(DomainConfig candidate, List<DomainConfig> others, List<PhysicalIOAdapter> adapters) {
        String key = ClusterDecider.key(candidate);
        Map<String, AdapterView> views = ClusterDecider.adapterViews(adapters, others);
        List<FieldError> errors = new ArrayList<>();
        List<String> wanted = candidate.getSpec().getAdapters();
        for (int i = 0; i < wanted.size(); i++) {
            AdapterView view = views.get(wanted.get(i));
            if (view != null && view.holder() != null && !view.holder().equals(key)) {
                errors.add(new FieldError("spec.adapters[" + i + "]", "adapter '" + view.name() + "' (node " + view.nodeName()
                    + ") is held by DomainConfig " + view.holder() + "; a device passes through to one domain at a time: "
                    + "remove it here, or from " + view.holder() + " first"));
            }
        }
        return errors;
    }
}
