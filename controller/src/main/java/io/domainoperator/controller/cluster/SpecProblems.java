package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Field-precise problems of every DomainConfig: the single-object checks of {@link DomainConfigValidator}
 * plus what only a view of the whole namespace shows, a uuid or display name used twice. A clash is
 * reported on both objects, each naming the other, since neither is "the" wrong one.
 */
final class SpecProblems {
    private SpecProblems() {
    }

    /** {@code namespace/name} to its problems, for the domains that have any. */
    static Map<String, List<FieldError>> find(List<DomainConfig> domains) {
        Map<String, List<FieldError>> problems = new TreeMap<>();
        for (DomainConfig domain : domains) {
            List<FieldError> errors = DomainConfigValidator.validateObject(domain);
            if (!errors.isEmpty()) {
                problems.computeIfAbsent(ClusterDecider.key(domain), k -> new ArrayList<>()).addAll(errors);
            }
        }
        clashes(domains, "spec.uuid", s -> s.getUuid() == null ? null : s.getUuid().toLowerCase(Locale.ROOT), DomainConfigSpec::getUuid,
            "give each domain its own uuid, or remove spec.uuid from one to let its node agent pick one", problems);
        clashes(domains, "spec.displayName", DomainConfigSpec::getDisplayName, DomainConfigSpec::getDisplayName,
            "rename one of them: the display name is the domain's name on the hypervisor", problems);
        return problems;
    }

    private static void clashes(List<DomainConfig> domains, String field, Function<DomainConfigSpec, String> value,
                                Function<DomainConfigSpec, String> shown, String fix, Map<String, List<FieldError>> problems) {
        Map<String, List<DomainConfig>> byValue = new HashMap<>();
        for (DomainConfig domain : domains) {
            String v = domain.getSpec() == null ? null : value.apply(domain.getSpec());
            if (v != null) {
                byValue.computeIfAbsent(domain.getMetadata().getNamespace() + "\u0000" + v, k -> new ArrayList<>()).add(domain);
            }
        }
        for (List<DomainConfig> group : byValue.values()) {
            if (group.size() < 2) {
                continue;
            }
            for (DomainConfig domain : group) {
                List<String> others = group.stream().filter(d -> d != domain).map(d -> d.getMetadata().getName()).sorted().toList();
                String shared = shown.apply(domain.getSpec());
                problems.computeIfAbsent(ClusterDecider.key(domain), k -> new ArrayList<>()).add(new FieldError(field,
                    "'" + shared + "' is also used by DomainConfig " + String.join(", ", others)
                        + " in namespace " + domain.getMetadata().getNamespace() + "; " + fix));
            }
        }
    }
}
