package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationSpec;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the leader points a DomainConfig at a migration's target ({@link MigrationController#movesDomainConfig}). */
class MigrationControllerTest {

    @Test
    void onlyTheNewestMigrationOfADomainConfigMovesIt() {
        // Regression (MigrationCrashE2E): a -> b Succeeded, then b -> a resumed on a; the old one pointed the
        // DomainConfig back at b on every pass, the new one at a: its spec.nodeName flipped for ever.
        DomainMigration there = migration("there", "2026-11-30T21:40:00Z", "a", "b", MigrationPhase.Migrating, true);
        DomainMigration back = migration("back", "2026-11-30T21:43:00Z", "b", "a", MigrationPhase.Migrating, true);
        List<DomainMigration> all = List.of(there, back);
        assertThat(MigrationController.movesDomainConfig(there, all, onNode("a"))).as("the older one").isFalse();
        assertThat(MigrationController.movesDomainConfig(back, all, onNode("b"))).as("the newest one").isTrue();
    }

    @Test
    void aSucceededMigrationHasDoneItsMoveAndNeverRepeatsIt() {
        // Succeeded is written after the DomainConfig was pointed at the target: a user's later spec.nodeName stays.
        DomainMigration done = migration("done", "2026-11-30T21:40:00Z", "a", "b", MigrationPhase.Succeeded, true);
        assertThat(MigrationController.movesDomainConfig(done, List.of(done), onNode("c"))).isFalse();
    }

    @Test
    void theTargetMustOwnTheGuestFirst() {
        DomainMigration copying = migration("copying", "2026-11-30T21:40:00Z", "a", "b", MigrationPhase.Migrating, false);
        assertThat(MigrationController.movesDomainConfig(copying, List.of(copying), onNode("a"))).isFalse();
        DomainMigration lostAfterHandover = migration("lost", "2026-11-30T21:40:00Z", "a", "b", MigrationPhase.Failed, true);
        lostAfterHandover.getStatus().setTargetResumedTime(null);
        assertThat(MigrationController.movesDomainConfig(lostAfterHandover, List.of(lostAfterHandover), onNode("a")))
            .as("lost on the target after the hand-over: its DomainConfig goes there").isTrue();
        assertThat(MigrationController.movesDomainConfig(lostAfterHandover, List.of(lostAfterHandover), onNode("b")))
            .as("already there").isFalse();
    }

    private static DomainMigration migration(String name, String created, String source, String target, MigrationPhase phase,
                                             boolean resumedOnTarget) {
        DomainMigration m = new DomainMigration();
        m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withCreationTimestamp(created).build());
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig("web");
        m.setSpec(spec);
        DomainMigrationStatus st = new DomainMigrationStatus();
        st.setPhase(phase);
        st.setSourceNode(source);
        st.setTargetNode(target);
        st.setDomainName("web");
        if (resumedOnTarget) {
            st.setHandoverTime(created);
            st.setTargetResumedTime(created);
        }
        m.setStatus(st);
        return m;
    }

    private static DomainConfig onNode(String node) {
        DomainConfig dc = new DomainConfig();
        dc.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns").build());
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setNodeName(node);
        dc.setSpec(spec);
        return dc;
    }
}
