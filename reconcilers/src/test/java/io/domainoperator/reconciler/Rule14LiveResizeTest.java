package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 14 (issue 18): vcpus and memoryMiB change on the running domain when they stay within the maxima it booted
 * with; anything else stays restart-required (rule 7), and ConfigApplied's reason says which.
 */
class Rule14LiveResizeTest {
    /** Booted with room to grow: 2 of 4 vCPUs, 512 of 2048 MiB. */
    private static DomainConfigSpec roomy(Consumer<DomainConfigSpec> change) {
        return spec(s -> {
            s.setMaxVcpus(4);
            s.setMaxMemoryMiB(2048);
            change.accept(s);
        });
    }

    private static final Journal BOOTED_ROOMY = booted(roomy(s -> { }), 7, T0);

    static Stream<Arguments> rule14_table() {
        return Stream.of(
            row("more vCPUs within maxVcpus", roomy(s -> s.setVcpus(4)),
                new Operation.ResizeLive(NAME, 4, 512), LiveResizeRules.RESIZING_LIVE, "vcpus 2 -> 4"),
            row("fewer vCPUs", roomy(s -> s.setVcpus(1)),
                new Operation.ResizeLive(NAME, 1, 512), LiveResizeRules.RESIZING_LIVE, "vcpus 2 -> 1"),
            row("more memory within maxMemoryMiB", roomy(s -> s.setMemoryMiB(1536)),
                new Operation.ResizeLive(NAME, 2, 1536), LiveResizeRules.RESIZING_LIVE, "memoryMiB 512 -> 1536"),
            row("both at once, up to the maxima", roomy(s -> { s.setVcpus(4); s.setMemoryMiB(2048); }),
                new Operation.ResizeLive(NAME, 4, 2048), LiveResizeRules.RESIZING_LIVE, "vcpus 2 -> 4, memoryMiB 512 -> 2048"),
            row("a raised maxVcpus needs a restart", roomy(s -> { s.setVcpus(6); s.setMaxVcpus(8); }),
                Operation.None.INSTANCE, Conditions.RESTART_REQUIRED, "within the maxVcpus/maxMemoryMiB"),
            row("a lowered maxMemoryMiB needs a restart even if memory fits",
                roomy(s -> { s.setMemoryMiB(1024); s.setMaxMemoryMiB(1024); }),
                Operation.None.INSTANCE, Conditions.RESTART_REQUIRED, "within the maxVcpus/maxMemoryMiB"),
            row("a live change next to a restart-required one: the live part now, the rest at the next boot",
                roomy(s -> { s.setVcpus(3); s.getDisks().add(new Disk("/persist/img/data.raw", DiskFormat.raw, "xvdb")); }),
                new Operation.ResizeLive(NAME, 3, 512), LiveResizeRules.RESIZING_LIVE, "vcpus 2 -> 3"),
            row("restartOnConfigChange with only live fields: resized, not rebooted",
                roomy(s -> { s.setVcpus(3); s.setRestartOnConfigChange(true); }),
                new Operation.ResizeLive(NAME, 3, 512), LiveResizeRules.RESIZING_LIVE, "vcpus 2 -> 3"),
            row("restartOnConfigChange with a restart-required field too: one reboot applies all",
                roomy(s -> { s.setVcpus(3); s.setKernel("/boot/vmlinuz"); s.setRestartOnConfigChange(true); }),
                new Operation.Shutdown(NAME), Conditions.RESTARTING_TO_APPLY, "vcpus, kernel"));
    }

    private static Arguments row(String name, DomainConfigSpec desired, Operation op, String reason, String message) {
        return Arguments.of(name, desired, op, reason, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule14_table(String name, DomainConfigSpec desired, Operation op, String reason, String message) {
        Decision d = decide(desired(desired, 2), running(7), BOOTED_ROOMY, at(10));
        assertThat(d.operation()).isEqualTo(op);
        assertThat(d.status().getPhase()).isEqualTo(op instanceof Operation.Shutdown ? DomainPhase.Halting
            : DomainPhase.Running);
        Condition applied = d.status().condition(Conditions.CONFIG_APPLIED);
        assertThat(applied.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(applied.getReason()).isEqualTo(reason);
        assertThat(applied.getMessage()).contains(message);
    }

    @Test
    void rule14_afterTheResizeTheDomainMatchesAndConfigAppliedSaysLive() {
        DesiredDomain want = desired(roomy(s -> s.setVcpus(4)), 2);
        Decision act = decide(want, running(7), BOOTED_ROOMY, at(10));
        Journal j = act.journal().withIntent(act.operation(), at(10)).withSuccess(act.operation(), at(10), null);

        Decision after = decide(want, running(7), j, at(11));
        assertThat(after.operation()).isInstanceOf(Operation.None.class);
        assertThat(after.status().getPendingChanges()).isEmpty();
        Condition applied = after.status().condition(Conditions.CONFIG_APPLIED);
        assertThat(applied.getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(applied.getReason()).isEqualTo(LiveResizeRules.APPLIED_LIVE);
        assertThat(j.startedWith().vcpus()).as("the journal knows what the domain runs with").isEqualTo(4);
        assertThat(j.startedWith().maxVcpus()).isEqualTo(4);
        assertThat(after.status().getDomainId()).as("same domain: no restart").isEqualTo(7);
    }

    @Test
    void rule14_aRefusedResizeIsNotRetriedForThatSpecAndNamesTheError() {
        DesiredDomain want = desired(roomy(s -> s.setMemoryMiB(1024)), 2);
        Decision act = decide(want, running(7), BOOTED_ROOMY, at(10));
        Journal j = act.journal().withIntent(act.operation(), at(10))
            .withFailure(act.operation(), "xl mem-set: libxl: error: memory_dynamic_max too large", at(10));

        Decision after = decide(want, running(7), j, at(100));
        assertThat(after.operation()).as("no retry loop: the change waits for the next boot")
            .isInstanceOf(Operation.None.class);
        Condition applied = after.status().condition(Conditions.CONFIG_APPLIED);
        assertThat(applied.getReason()).isEqualTo(LiveResizeRules.LIVE_RESIZE_FAILED);
        assertThat(applied.getMessage()).contains("memoryMiB").contains("memory_dynamic_max too large")
            .contains("next boot");
        assertThat(after.status().getPendingChanges()).containsExactly("memoryMiB");

        DesiredDomain restarting = desired(roomy(s -> { s.setMemoryMiB(1024); s.setRestartOnConfigChange(true); }), 2);
        assertThat(decide(restarting, running(7), j, at(100)).operation())
            .as("with restartOnConfigChange a refused live change falls back to a graceful reboot")
            .isEqualTo(new Operation.Shutdown(NAME));

        DesiredDomain edited = desired(roomy(s -> s.setMemoryMiB(768)), 3);
        assertThat(decide(edited, running(7), j, at(100)).operation()).as("a new spec generation tries live again")
            .isEqualTo(new Operation.ResizeLive(NAME, 2, 768));
    }

    /**
     * Found by the convergence property: the resize landed, the agent died before journaling it, and the retry
     * failed. The domain shows the new memory, so the journal takes it from there instead of claiming a pending change
     * (or a refused one) for ever.
     */
    @Test
    void rule14_aResizeThatLandedUnrecordedIsTakenFromTheRunningDomain() {
        DesiredDomain want = desired(roomy(s -> s.setMemoryMiB(1024)), 2);
        Operation resize = decide(want, running(7), BOOTED_ROOMY, at(10)).operation();
        Journal retriedAndFailed = BOOTED_ROOMY.withIntent(resize, at(10)).withFailure(resize, "xl mem-set: timed out", at(11));
        DomainInfo resized = new DomainInfo(7, NAME, UUID_VALUE, io.domainoperator.hypervisor.DomainState.RUNNING,
            5_000_000_000L, 2, 1024L << 20, 2048L << 20, true);

        Decision d = decide(want, resized, retriedAndFailed, at(12));
        assertThat(d.operation()).isInstanceOf(Operation.None.class);
        assertThat(d.status().getPendingChanges()).isEmpty();
        assertThat(d.journal().startedWith().memoryMiB()).isEqualTo(1024);
        assertThat(d.journal().lastFailure()).isNull();

        Decision inFlight = decide(want, resized, BOOTED_ROOMY.withIntent(resize, at(10)), at(12));
        assertThat(inFlight.status().getPendingChanges()).as("killed after the effect").isEmpty();
        assertThat(inFlight.journal().inFlight()).isFalse();
        assertThat(decide(want, running(7), retriedAndFailed, at(12)).status().getPendingChanges())
            .as("the domain still shows 512 MiB: the failure stands").containsExactly("memoryMiB");
    }

    @Test
    void rule14_aDomainWithoutAJournaledBootSpecIsNotResized() {
        Journal assumed = BOOTED_ROOMY.edit().build();
        JournalEdit e = assumed.edit();
        e.startedWith = StartedSpec.assumed(roomy(s -> { }), UUID_TEXT);
        Decision d = decide(desired(roomy(s -> s.setVcpus(4)), 2), running(7), e.build(), at(10));
        assertThat(d.operation()).isInstanceOf(Operation.None.class);
        assertThat(d.status().condition(Conditions.CONFIG_APPLIED).getStatus()).isEqualTo("Unknown");
    }

    @Test
    void rule14_aPausedOrStoppedDomainIsNotResized() {
        DesiredDomain want = desired(roomy(s -> s.setVcpus(4)), 2);
        assertThat(decide(want, paused(7, 100), BOOTED_ROOMY, at(10)).operation())
            .isNotInstanceOf(Operation.ResizeLive.class);
        assertThat(List.of(decide(want, stopped(7, io.domainoperator.hypervisor.ShutdownReason.CRASH), BOOTED_ROOMY,
            at(10)).operation())).noneMatch(op -> op instanceof Operation.ResizeLive);
    }
}
