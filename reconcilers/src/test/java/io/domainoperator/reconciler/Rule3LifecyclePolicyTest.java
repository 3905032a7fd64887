package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.ShutdownReason;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 3: the guest's own crash, poweroff or reboot follows onCrash / onPoweroff / onReboot; restarts count; a
 * crash within minRebootDelay (120 s) of boot backs off visibly.
 */
class Rule3LifecyclePolicyTest {

    static Stream<RuleCase> rule3_guestStopsFollowTheirPolicy() {
        return Stream.of(
            given("crash, onCrash Restart (default), booted long ago: destroy to restart")
                .observed(crashed(7)).journal(booted(spec(), 7, T0)).at(at(300))
                .expect(new Operation.Destroy(NAME, DestroyReason.CRASH_RESTART), DomainPhase.Booting, Conditions.CRASHED),
            given("crash 30 s after boot: back off until 120 s after boot")
                .observed(crashed(7)).journal(booted(spec(), 7, T0)).at(at(30))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.CRASH_BACKOFF).requeue(seconds(90)),
            given("crash, backoff over at exactly 120 s: restart")
                .observed(crashed(7)).journal(booted(spec(), 7, T0)).at(at(120))
                .expect(new Operation.Destroy(NAME, DestroyReason.CRASH_RESTART), DomainPhase.Booting, Conditions.CRASHED),
            given("shutdown with reason crash counts as a crash")
                .observed(stopped(7, ShutdownReason.CRASH)).journal(booted(spec(), 7, T0)).at(at(10))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.CRASH_BACKOFF),
            given("watchdog follows onCrash")
                .observed(stopped(7, ShutdownReason.WATCHDOG)).journal(booted(spec(), 7, T0)).at(at(500))
                .expect(new Operation.Destroy(NAME, DestroyReason.CRASH_RESTART), DomainPhase.Booting, Conditions.CRASHED),
            given("crash, onCrash Preserve: kept for inspection")
                .desired(desired(spec(s -> s.setOnCrash(LifecyclePolicy.Preserve))))
                .observed(crashed(7)).journal(booted(spec(), 7, T0)).at(at(500))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.PRESERVED),
            given("crash, onCrash Destroy: torn down")
                .desired(desired(spec(s -> s.setOnCrash(LifecyclePolicy.Destroy))))
                .observed(crashed(7)).journal(booted(spec(), 7, T0)).at(at(500))
                .expect(new Operation.Destroy(NAME, DestroyReason.POLICY_DESTROY), DomainPhase.Halting, Conditions.CRASHED),
            given("poweroff, onPoweroff Destroy (default): torn down")
                .observed(stopped(7, ShutdownReason.POWEROFF)).journal(booted(spec(), 7, T0)).at(at(500))
                .expect(new Operation.Destroy(NAME, DestroyReason.POLICY_DESTROY), DomainPhase.Halting,
                    Conditions.POWERED_OFF),
            given("poweroff, onPoweroff Restart: restart, no crash backoff")
                .desired(desired(spec(s -> s.setOnPoweroff(LifecyclePolicy.Restart))))
                .observed(stopped(7, ShutdownReason.POWEROFF)).journal(booted(spec(), 7, T0)).at(at(10))
                .expect(new Operation.Destroy(NAME, DestroyReason.POWEROFF_RESTART), DomainPhase.Booting,
                    Conditions.REBOOTED),
            given("reboot, onReboot Restart (default): restart")
                .observed(stopped(7, ShutdownReason.REBOOT)).journal(booted(spec(), 7, T0)).at(at(10))
                .expect(new Operation.Destroy(NAME, DestroyReason.REBOOT_RESTART), DomainPhase.Booting,
                    Conditions.REBOOTED),
            given("reboot, onReboot Preserve: halted, preserved")
                .desired(desired(spec(s -> s.setOnReboot(LifecyclePolicy.Preserve))))
                .observed(stopped(7, ShutdownReason.REBOOT)).journal(booted(spec(), 7, T0)).at(at(10))
                .expect(new Operation.None(), DomainPhase.Halted, Conditions.PRESERVED),
            given("suspended: left alone")
                .observed(stopped(7, ShutdownReason.SUSPEND)).journal(booted(spec(), 7, T0)).at(at(10))
                .expect(new Operation.None(), DomainPhase.Paused, Reasons.SUSPENDED),
            given("preserved crash, spec changed since: rebuilt")
                .desired(desired(spec(s -> s.setOnCrash(LifecyclePolicy.Preserve)), 2))
                .observed(crashed(7)).journal(setUp(booted(spec(), 7, T0)).exit(new Journal.Exit(
                    ShutdownReason.CRASH, LifecyclePolicy.Preserve, at(1), 1)).journal())
                .at(at(500))
                .expect(new Operation.Destroy(NAME, DestroyReason.SPEC_CHANGED), DomainPhase.Booting, Conditions.BOOTING),
            given("powered off under Destroy, now absent: stays halted, no boot")
                .journal(setUp(fresh()).exit(new Journal.Exit(ShutdownReason.POWEROFF, LifecyclePolicy.Destroy,
                    at(1), 1)).journal())
                .expect(new Operation.None(), DomainPhase.Halted, Conditions.POWERED_OFF),
            given("powered off under Destroy, not listed but journaled: destroy by name before releasing adapters")
                .journal(setUp(booted(spec(), 7, T0))
                    .exit(new Journal.Exit(ShutdownReason.POWEROFF, LifecyclePolicy.Destroy, at(1), 1))
                    .assignedAdapters(java.util.List.of("eth1")).journal())
                .expect(new Operation.Destroy(NAME, DestroyReason.STOPPED), DomainPhase.Halted, Conditions.POWERED_OFF),
            given("powered off under Destroy, gone: adapters go back to the host")
                .journal(setUp(fresh())
                    .exit(new Journal.Exit(ShutdownReason.POWEROFF, LifecyclePolicy.Destroy, at(1), 1))
                    .assignedAdapters(java.util.List.of("eth1")).journal())
                .expect(new Operation.ReleaseAdapters(java.util.List.of("eth1")), DomainPhase.Halted,
                    Conditions.POWERED_OFF),
            given("powered off under Destroy, spec changed since: boots again")
                .desired(desired(spec(), 2))
                .journal(setUp(fresh()).exit(new Journal.Exit(ShutdownReason.POWEROFF, LifecyclePolicy.Destroy,
                    at(1), 1)).journal())
                .expect(create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule3_guestStopsFollowTheirPolicy(RuleCase c) {
        c.check();
    }

    @Test
    void rule3_restartCountsAndIsReported() {
        Decision d = decide(desired(spec()), crashed(7), booted(spec(), 7, T0), at(300));
        assertThat(d.events()).extracting(DomainEvent::reason).containsExactly(Conditions.CRASHED);
        Journal after = d.journal().withIntent(d.operation(), at(300)).withSuccess(d.operation(), at(300), null);
        assertThat(after.restartCount()).isEqualTo(1);
        assertThat(after.lastRebootTime()).isEqualTo(at(300));
        Decision next = decide(withStatus(desired(spec()), d.status()), null, after, at(301));
        assertThat(next.operation()).isEqualTo(create(spec()).op());
        assertThat(next.status().getRestartCount()).isEqualTo(1);
        assertThat(next.status().getLastRebootTime()).isEqualTo("2026-11-24T05:05:00Z");
    }

    @Test
    void rule3_crashBackoffIsVisibleAndAnnouncedOnce() {
        Decision d = decide(desired(spec()), crashed(7), booted(spec(), 7, T0), at(30));
        assertThat(d.status().condition(Conditions.READY).getMessage()).contains("restarting at 2026-11-24T05:02:00Z");
        assertThat(d.events()).extracting(DomainEvent::reason).containsExactly(Conditions.CRASHED);
        Decision again = decide(withStatus(desired(spec()), d.status()), crashed(7), d.journal(), at(60));
        assertThat(again.events()).isEmpty();
        assertThat(again.status()).isEqualTo(d.status());
        Decision restart = decide(withStatus(desired(spec()), d.status()), crashed(7), d.journal(), at(120));
        assertThat(restart.operation()).isEqualTo(new Operation.Destroy(NAME, DestroyReason.CRASH_RESTART));
    }

    @Test
    void rule3_thePolicyInForceWhenTheStopWasSeenIsKept() {
        Decision seen = decide(desired(spec(s -> s.setOnCrash(LifecyclePolicy.Preserve))), crashed(7),
            booted(spec(), 7, T0), at(500));
        assertThat(seen.journal().exit().policy()).isEqualTo(LifecyclePolicy.Preserve);
        Decision destroyed = decide(desired(spec(s -> s.setOnCrash(LifecyclePolicy.Preserve))), crashed(7),
            seen.journal(), at(600));
        assertThat(destroyed.operation()).isInstanceOf(Operation.None.class);
    }
}
