package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

/**
 * Regression: a lost or garbled journal (the agent sets the file aside and starts from an empty journal) made
 * status claim ConfigApplied=True with no pending changes while the running domain could differ from the spec.
 * With no record of the spec a running domain was booted with, ConfigApplied is Unknown (JournalLost) until its
 * next boot; the domain itself is left running.
 */
class JournalLostStatusTest {

    @Test
    void aRunningDomainWithNoJournalHasConfigAppliedUnknownAndIsLeftRunning() {
        DomainConfigSpec changed = spec(s -> s.setVcpus(4));
        Decision d = decide(desired(changed, 2), running(7), Journal.empty(), at(10));

        Condition applied = d.status().condition(Conditions.CONFIG_APPLIED);
        assertThat(applied.getStatus()).isEqualTo(Conditions.UNKNOWN);
        assertThat(applied.getReason()).isEqualTo("JournalLost");
        assertThat(applied.getMessage()).contains("id 7").contains("next boot");
        assertThat(d.status().getPhase()).isEqualTo(DomainPhase.Running);
        assertThat(d.operation()).isInstanceOf(Operation.None.class);
    }

    @Test
    void afterTheNextBootTheJournalSaysAgainWhetherTheSpecApplies() {
        Decision same = decide(desired(spec(), 2), running(7), booted(spec(), 7, T0), at(10));
        assertThat(same.status().condition(Conditions.CONFIG_APPLIED).getStatus()).isEqualTo(Conditions.TRUE);
        Decision changed = decide(desired(spec(s -> s.setVcpus(4)), 2), running(7), booted(spec(), 7, T0), at(10));
        assertThat(changed.status().condition(Conditions.CONFIG_APPLIED).getStatus()).isEqualTo(Conditions.FALSE);
    }

    @Test
    void noDomainNoClaim() {
        Decision d = decide(desired(spec(), 1), null, Journal.empty(), at(10));
        assertThat(d.status().condition(Conditions.CONFIG_APPLIED).getReason()).isNotEqualTo("JournalLost");
    }
}
