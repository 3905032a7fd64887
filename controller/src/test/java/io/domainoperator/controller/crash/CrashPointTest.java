package io.domainoperator.controller.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.reconciler.DestroyReason;
import io.domainoperator.reconciler.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation with an effect has both of its crash points; the switch's value is parsed strictly. */
class CrashPointTest {

    @Test
    void everyOperationWithAnEffectHasAPointBeforeAndAfterIt() {
        List<Operation> all = List.of(new Operation.PrepareDisks(List.of("/a"), "u"), new Operation.AssignAdapters(List.of("a")),
            new Operation.CreatePaused("n", "u", new DomainConfigSpec(), List.of()), new Operation.Unpause("n"),
            new Operation.Shutdown("n"), new Operation.Destroy("n", DestroyReason.FORCED),
            new Operation.ReleaseAdapters(List.of("a")), new Operation.CleanupDisks(List.of("/a"), "u"),
            new Operation.ResizeLive("n", 2, 512), new Operation.Pause("n"), new Operation.Resume("n"),

            new io.domainoperator.reconciler.MigrationOperations.PrepareIncoming("n", "u", new DomainConfigSpec(), "h", 1),
            new io.domainoperator.reconciler.MigrationOperations.MigrateOut("n", "h", 1),
            new io.domainoperator.reconciler.MigrationOperations.ResumeIncoming("n"),
            new io.domainoperator.reconciler.MigrationOperations.CancelMigration("n"),
            new io.domainoperator.reconciler.MigrationOperations.ResumeSource("n"),
            new io.domainoperator.reconciler.MigrationOperations.DestroyCopy("n"));
        for (Operation op : all) {
            assertThat(CrashPoint.before(op)).as(op.kind()).isNotNull();
            assertThat(CrashPoint.after(op)).as(op.kind()).isNotNull().isNotEqualTo(CrashPoint.before(op));
        }
        assertThat(CrashPoint.before(new Operation.CreatePaused("n", "u", new DomainConfigSpec(), List.of())))
            .isEqualTo(CrashPoint.CREATE_PAUSED_BEFORE);
        assertThat(CrashPoint.before(new Operation.None())).isNull();
        assertThat(CrashPoint.after(new Operation.ForgetDomain())).isNull();
    }

    @Test
    void theSwitchIsInertUnlessSetAndRefusesAValueNamingNoPoint() {
        assertThat(CrashSwitch.parse(null)).isEmpty();
        assertThat(CrashSwitch.parse(" ")).isEmpty();
        assertThat(CrashSwitch.parse("UNPAUSE_AFTER")).get().extracting(CrashSwitch.Armed::point, CrashSwitch.Armed::nth)
            .containsExactly(CrashPoint.UNPAUSE_AFTER, 1);
        assertThat(CrashSwitch.parse("JOURNAL_WRITE_BEFORE:3")).get().extracting(CrashSwitch.Armed::nth).isEqualTo(3);
        assertThatThrownBy(() -> CrashSwitch.parse("UNPAUSE")).hasMessageContaining("DOMAIN_OPERATOR_CRASH_AT='UNPAUSE'")
            .hasMessageContaining("UNPAUSE_AFTER");
        assertThatThrownBy(() -> CrashSwitch.parse("UNPAUSE_AFTER:0")).hasMessageContaining("POINT[:n]");
        // reached() on a process where the variable is unset does nothing (this JVM is alive to assert it)
        CrashSwitch.reached(CrashPoint.JOURNAL_WRITE_BEFORE);
    }
}
