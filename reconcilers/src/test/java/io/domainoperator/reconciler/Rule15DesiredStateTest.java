package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 15 (issue 18): spec.desiredState keeps an active domain Running or Paused; the engine resumes only what it
 * paused, and status.phase says which.
 */
class Rule15DesiredStateTest {
    private static final DomainConfigSpec PAUSED = spec(s -> s.setDesiredState(DesiredState.Paused));
    private static final DomainConfigSpec RUNNING = spec(s -> s.setDesiredState(DesiredState.Running));
    private static final Journal BOOTED = booted(spec(), 7, T0);
    private static final Journal PAUSED_BY_US = done(BOOTED, new Operation.Pause(NAME));

    private static Journal done(Journal j, Operation op) {
        return j.withIntent(op, at(5)).withSuccess(op, at(5), null);
    }

    static Stream<Arguments> rule15_table() {
        DomainInfo pausedAfterRunning = paused(7, 5_000_000_000L);
        return Stream.of(
            row("running, Paused wished: pause", PAUSED, running(7), BOOTED, new Operation.Pause(NAME),
                DomainPhase.Running, DesiredStateRules.PAUSING),
            row("paused by us, Paused wished: stay", PAUSED, pausedAfterRunning, PAUSED_BY_US, Operation.None.INSTANCE,
                DomainPhase.Paused, DesiredStateRules.PAUSED_BY_SPEC),
            row("paused outside the operator, Paused wished: stay, as the spec asks", PAUSED, pausedAfterRunning,
                BOOTED, Operation.None.INSTANCE, DomainPhase.Paused, DesiredStateRules.PAUSED_BY_SPEC),
            row("paused by us, Running wished again: resume", RUNNING, pausedAfterRunning, PAUSED_BY_US,
                new Operation.Resume(NAME), DomainPhase.Paused, DesiredStateRules.RESUMING),
            row("a pause whose outcome a crash hid: resume", RUNNING, pausedAfterRunning,
                BOOTED.withIntent(new Operation.Pause(NAME), at(5)), new Operation.Resume(NAME), DomainPhase.Paused,
                DesiredStateRules.RESUMING),
            row("paused outside the operator, Running (default): left alone (rule 2)", spec(), pausedAfterRunning,
                BOOTED, Operation.None.INSTANCE, DomainPhase.Paused, Conditions.PAUSED),
            row("paused outside the operator, Running set explicitly: resume", RUNNING, pausedAfterRunning, BOOTED,
                new Operation.Resume(NAME), DomainPhase.Paused, DesiredStateRules.RESUMING),
            row("running, Running wished: nothing", RUNNING, running(7), BOOTED, Operation.None.INSTANCE,
                DomainPhase.Running, Conditions.RUNNING),
            row("a boot finishes before the pause: unpause first", PAUSED, paused(7, 0), createdPaused(spec(), 7, T0),
                new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING));
    }

    private static Arguments row(String name, DomainConfigSpec spec, DomainInfo observed, Journal j, Operation op,
                                 DomainPhase phase, String reason) {
        return Arguments.of(name, spec, observed, j, op, phase, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule15_table(String name, DomainConfigSpec spec, DomainInfo observed, Journal j, Operation op,
                      DomainPhase phase, String reason) {
        Decision d = decide(desired(spec, 2), observed, j, at(10));
        assertThat(d.operation()).isEqualTo(op);
        assertThat(d.status().getPhase()).isEqualTo(phase);
        assertThat(d.status().condition(Conditions.READY).getReason()).isEqualTo(reason);
    }

    /**
     * Found by CrashMatrixIT (PAUSE_AFTER, RESUME_AFTER): the agent killed after a pause or a resume took effect left
     * its intent pending for ever, and a pending intent hides a later reboot from rule 4. The effect is seen: done.
     */
    @Test
    void rule15_aPauseOrResumeWhoseOutcomeACrashHidIsRecordedDoneOnceSeen() {
        Journal pausing = BOOTED.withIntent(new Operation.Pause(NAME), at(5));
        Decision paused = decide(desired(PAUSED, 2), paused(7, 5_000_000_000L), pausing, at(10));
        assertThat(paused.operation()).isEqualTo(Operation.None.INSTANCE);
        assertThat(paused.journal().inFlight()).as("the pause is seen done: %s", paused.journal()).isFalse();
        assertThat(paused.journal().intent().operation()).as("still ours to resume").isEqualTo("Pause");
        assertThat(decide(desired(RUNNING, 2), paused(7, 5_000_000_000L), paused.journal(), at(11)).operation())
            .as("what we paused is resumed when Running is wished").isEqualTo(new Operation.Resume(NAME));

        Journal resuming = PAUSED_BY_US.withIntent(new Operation.Resume(NAME), at(6));
        Decision resumed = decide(desired(RUNNING, 2), running(7), resuming, at(10));
        assertThat(resumed.operation()).isEqualTo(Operation.None.INSTANCE);
        assertThat(resumed.journal().inFlight()).as("the resume is seen done: %s", resumed.journal()).isFalse();

        Decision stillPaused = decide(desired(RUNNING, 2), paused(7, 5_000_000_000L), resuming, at(10));
        assertThat(stillPaused.journal().inFlight()).as("a resume not seen yet stays in flight").isTrue();
    }

    /**
     * Found by the convergence property: a halt taken back while the guest acts on the shutdown request, with Paused
     * wished. Pausing then would freeze the guest half-way through its shutdown for ever; it is paused once it runs
     * again, or once the shutdown timeout says it ignored the request.
     */
    @Test
    void rule15_aGuestActingOnAShutdownIsNotPausedUntilTheTimeoutPasses() {
        Journal asked = done(BOOTED, new Operation.Shutdown(NAME));
        assertThat(asked.shutdownAsked()).isTrue();
        assertThat(decide(desired(PAUSED, 2), running(7), asked, at(10)).operation())
            .isNotInstanceOf(Operation.Pause.class);
        assertThat(decide(desired(PAUSED, 2), running(7), asked, at(5 + 24 * 3600)).operation())
            .as("a guest that ignored the request is paused after the timeout").isEqualTo(new Operation.Pause(NAME));
    }

    /**
     * Regression (ConvergenceProperties, seed 1888782037092165348): a restart to apply a vCPU change asked the guest
     * to shut down; Paused was then wished, the request asked again for the new generation failed, and the engine
     * paused the guest still acting on the first request. It stayed Paused with the change never applied.
     */
    @Test
    void rule15_aFailedRepeatOfAShutdownRequestDoesNotLetThePauseFreezeTheFirst() {
        Journal asked = done(BOOTED, new Operation.Shutdown(NAME));
        Journal repeatFailed = asked.withIntent(new Operation.Shutdown(NAME), at(8))
            .withFailure(new Operation.Shutdown(NAME), "xl shutdown: timed out", at(8));
        assertThat(repeatFailed.shutdownAsked()).isTrue();
        assertThat(decide(desired(PAUSED, 2), running(7), repeatFailed, at(10)).operation())
            .isNotInstanceOf(Operation.Pause.class);
        assertThat(decide(desired(PAUSED, 2), running(7), repeatFailed, at(8 + 24 * 3600)).operation())
            .as("paused once the timeout, counted from the failure, has passed").isEqualTo(new Operation.Pause(NAME));
    }

    @Test
    void rule15_aResumeKilledBeforeItsEffectIsRetriedWithDesiredStateUnset() {
        // Regression (ConvergenceProperties, seed -4592724346387412869): a save at the node's shutdown failed and left
        // the vCPUs stopped; the engine's resume was journaled, then the agent died before calling it. With
        // spec.desiredState unset, the next agent took the paused guest for paused by someone else and left it so.
        Journal resuming = PAUSED_BY_US.withIntent(new Operation.Resume(NAME), at(6));
        assertThat(decide(desired(spec(), 2), paused(7, 5_000_000_000L), resuming, at(10)).operation())
            .isEqualTo(new Operation.Resume(NAME));
        Journal failed = resuming.withFailure(new Operation.Resume(NAME), "qmp: cont failed", at(6));
        assertThat(decide(desired(spec(), 2), paused(7, 5_000_000_000L), failed, at(3600)).operation())
            .as("a failed resume is tried again once its back-off has passed").isEqualTo(new Operation.Resume(NAME));
    }

    @Test
    void rule15_pauseAndResumeNeverRebootOrCountAsBoots() {
        Decision pause = decide(desired(PAUSED, 2), running(7), BOOTED, at(10));
        Journal j = done(pause.journal(), pause.operation());
        Decision resume = decide(desired(RUNNING, 3), paused(7, 5_000_000_000L), j, at(20));
        assertThat(resume.operation()).isEqualTo(new Operation.Resume(NAME));
        j = done(resume.journal(), resume.operation());
        Decision after = decide(desired(RUNNING, 3), running(7), j, at(21));
        assertThat(after.operation()).isInstanceOf(Operation.None.class);
        assertThat(after.status().getRestartCount()).isZero();
        assertThat(after.status().getBootAttempts()).isZero();
        assertThat(j.lastBootTime()).as("a resume is not a boot").isEqualTo(T0);
        assertThat(after.status().getPendingChanges()).as("desiredState is a live field").isEmpty();
    }
}
