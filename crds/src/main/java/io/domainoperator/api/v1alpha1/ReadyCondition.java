package io.domainoperator.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.Objects;

/**
 * Ready, derived in one place from the conditions each writer owns (Strimzi's rule: every condition type has one
 * owner). The node agent owns its verdict on the domain (with Booted, AdaptersAssigned, ConfigApplied and, for a
 * domain with spec.readinessProbe, GuestReady beside it): "the domain runs", and "its guest is up" where a probe
 * says so ({@link #agentVerdict}); the cluster controller owns SpecValid, Placed and NodeLost. Both writers call {@link #derive}, so Ready
 * comes out the same whoever writes last, and neither has to recognise the other's wording.
 */
public final class ReadyCondition {
    private ReadyCondition() {
    }

    /**
     * The agent's verdict: the domain's own (True when it runs) unless a readiness probe says the guest is not up.
     * {@code guestReady} is null for a domain without a probe: then Ready means the domain runs, as before probes.
     * A running domain whose GuestReady is not True is Ready=False with GuestReady's reason and message.
     */
    public static Condition agentVerdict(Condition domainVerdict, Condition guestReady) {
        if (guestReady == null || domainVerdict == null || !Conditions.TRUE.equals(domainVerdict.getStatus())
            || Conditions.TRUE.equals(guestReady.getStatus())) {
            return domainVerdict;
        }
        return new ConditionBuilder(guestReady).withType(Conditions.READY).withStatus(Conditions.FALSE).build();
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
