package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainMigrationValidatorTest {

    @Test
    void aMissingDomainConfigIsNamedWithTheFix() {
        assertThat(DomainMigrationValidator.validate(new DomainMigrationSpec()))
            .extracting(FieldError::field, FieldError::message)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.domainConfig",
                "is required: the name of the DomainConfig to move, in this namespace"));
    }

    @Test
    void aTargetNodeThatIsNoObjectNameIsRefusedByName() {
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig("web");
        spec.setTargetNode("Node_A");
        assertThat(DomainMigrationValidator.validate(spec)).extracting(FieldError::field).containsExactly("spec.targetNode");
    }

    @Test
    void aValidSpecPasses() {
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig("web");
        spec.setTargetNode("edge-2");
        assertThat(DomainMigrationValidator.validate(spec)).isEmpty();
        assertThat(DomainMigrationValidator.validate(null)).extracting(FieldError::field).containsExactly("spec");
    }

    @Test
    void copyDeadlinesOutsideTheirRangeAreRefusedByNameWithTheRange() {
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig("web");
        spec.setCompletionTimeoutPerGiB(0);
        spec.setProgressTimeout(86401);
        assertThat(DomainMigrationValidator.validate(spec)).extracting(FieldError::field, FieldError::message)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("spec.completionTimeoutPerGiB", "must be between 1 and 86400, is 0"),
                org.assertj.core.groups.Tuple.tuple("spec.progressTimeout", "must be between 1 and 86400, is 86401"));
        spec.setCompletionTimeoutPerGiB(80);
        spec.setProgressTimeout(5);
        assertThat(DomainMigrationValidator.validate(spec)).isEmpty();
    }

    @Test
    void onlySucceededAndFailedAreTerminal() {
        assertThat(java.util.Arrays.stream(MigrationPhase.values()).filter(MigrationPhase::terminal))
            .containsExactly(MigrationPhase.Succeeded, MigrationPhase.Failed);
    }
}
