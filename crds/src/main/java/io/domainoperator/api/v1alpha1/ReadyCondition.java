package io.domainoperator.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.Objects;

/**
 * Ready, derived in one place from the conditions each writer owns (Strimzi's rule: every condition type has one
 * owner). The node agent owns its verdict on the domain (with Booted, AdaptersAssigned and ConfigApplied beside
 * it); the cluster controller owns SpecValid, Placed and NodeLost. Both writers call {@link #derive}, so Ready
 * comes out the same whoever writes last, and neither has to recognise the other's wording.
 */
public final class ReadyCondition {
    private ReadyCondition() {
    }

    /**
     * Ready from the agent's verdict (null when no agent has judged the domain) and the cluster's SpecValid (null
     * when the cluster check found nothing). A failed SpecValid makes Ready False with its reason and message,
     * unless the agent already says False for the same reason: its own words for the same finding stay, so the
     * two writers do not reword each other. Otherwise Ready is the agent's verdict, or absent.
     */
    public static Condition derive(Condition agentVerdict, Condition specValid) {
        if (specValid != null && Conditions.FALSE.equals(specValid.getStatus())) {
            boolean agentSaysTheSame = agentVerdict != null && Conditions.FALSE.equals(agentVerdict.getStatus())
                && Objects.equals(agentVerdict.getReason(), specValid.getReason());
            return agentSaysTheSame ? agentVerdict : new ConditionBuilder(specValid).withType(Conditions.READY).build();
        }
        return agentVerdict;
    }

    /**
     * Whether {@code ready} is what {@link #derive} made of {@code specValid} alone, so it carries no verdict of
     * the agent and goes when SpecValid changes. Compares the two conditions, not any wording.
     */
    public static boolean mirrors(Condition ready, Condition specValid) {
        return ready != null && specValid != null && Objects.equals(ready.getStatus(), specValid.getStatus())
            && Objects.equals(ready.getReason(), specValid.getReason())
            && Objects.equals(ready.getMessage(), specValid.getMessage());
    }
}
