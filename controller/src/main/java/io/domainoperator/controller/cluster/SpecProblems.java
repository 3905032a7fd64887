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
public final class SpecProblems {
    private static final String UUID_FIX = "give each domain its own uuid, or remove spec.uuid from one to let its node agent pick one";
    private static final String NAME_FIX = "rename one of them: the display name is the domain's name on the hypervisor";

    private SpecProblems() {
    }

    /**
     * The problems of one DomainConfig about to be written (the admission webhook's question): its field
     * errors plus a uuid or display name that another DomainConfig of its namespace already uses, in the
     * words a pass of the controller would report afterwards.
     *
     * @param candidate  the object as it would be stored (namespace and name set)
     * @param namespace  the other DomainConfigs of its namespace; an entry with the candidate's name is its
     *                   stored version and is skipped
     */
    public static List<FieldError> of(DomainConfig candidate, List<DomainConfig> namespace) {
        List<FieldError> errors = new ArrayList<>(DomainConfigValidator.validate(candidate.getSpec()));
        List<DomainConfig> group = new ArrayList<>();
        group.add(candidate);
        namespace.stream().filter(d -> !d.getMetadata().getName().equals(candidate.getMetadata().getName())).forEach(group::add);
        Map<String, List<FieldError>> clashes = new TreeMap<>();
        clashes(group, "spec.uuid", SpecProblems::uuid, DomainConfigSpec::getUuid, UUID_FIX, clashes);
        clashes(group, "spec.displayName", DomainConfigSpec::getDisplayName, DomainConfigSpec::getDisplayName, NAME_FIX, clashes);
        errors.addAll(clashes.getOrDefault(ClusterDecider.key(candidate), List.of()));
        return errors;
    }

    private static String uuid(DomainConfigSpec spec) {
        return spec.getUuid() == null ? null : spec.getUuid().toLowerCase(Locale.ROOT);
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
        clashes(domains, "spec.uuid", SpecProblems::uuid, DomainConfigSpec::getUuid, UUID_FIX, problems);
        clashes(domains, "spec.displayName", DomainConfigSpec::getDisplayName, DomainConfigSpec::getDisplayName, NAME_FIX, problems);
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
