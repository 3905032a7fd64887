package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 13: a domain with spec.readinessProbe is Running when it runs, and Ready only once the agent's probe says its
 * guest is up for the current boot (GuestReady). A dependent of such a domain waits for GuestReady, not merely
 * Running. Without a probe nothing changes: Ready means the domain runs and there is no GuestReady condition.
 */
class Rule13GuestReadinessTest {
    private static final GuestReadiness READY_7 = new GuestReadiness(GuestReadiness.State.READY, "matched 'login: '", 7);
    private static final GuestReadiness NOT_READY_7 = new GuestReadiness(GuestReadiness.State.NOT_READY,
        "connection refused by 10.0.0.5:22 (3 failures)", 7);
    /** A result about the domain's previous boot (domain id 6). */
    private static final GuestReadiness READY_6 = new GuestReadiness(GuestReadiness.State.READY, "matched", 6);

    static DesiredDomain probed() {
        return desired(spec(s -> {
            ReadinessProbe p = new ReadinessProbe();
            p.setSerial(new ReadinessProbe.SerialProbe("login: "));
            s.setReadinessProbe(p);
        }));
    }

    static Stream<RuleCase> rule11_guestReadiness() {
        Journal up = booted(probed().spec(), 7, T0);
        return Stream.of(
            given("probe not answered yet: Running, Ready False GuestNotReady")
                .desired(probed()).observed(running(7)).journal(up)
                .expect(new Operation.None(), DomainPhase.Running, Conditions.GUEST_NOT_READY),
            given("probe says not ready: Running, Ready False GuestNotReady")
                .desired(probed()).observed(running(7)).journal(up).guest(NOT_READY_7)
                .expect(new Operation.None(), DomainPhase.Running, Conditions.GUEST_NOT_READY),
            given("probe passed for this boot: Ready True")
                .desired(probed()).observed(running(7)).journal(up).guest(READY_7)
                .expect(new Operation.None(), DomainPhase.Running, Conditions.RUNNING),
            given("probe passed for the previous boot only: not ready")
                .desired(probed()).observed(running(7)).journal(up).guest(READY_6)
                .expect(new Operation.None(), DomainPhase.Running, Conditions.GUEST_NOT_READY),
            given("no probe: Ready when running, whatever a stale result says")
                .desired(desired(spec())).observed(running(7)).journal(booted(spec(), 7, T0)).guest(NOT_READY_7)
                .expect(new Operation.None(), DomainPhase.Running, Conditions.RUNNING),
            given("dependency with a probe Running but not GuestReady: wait")
                .desired(Rule6DependencyTest.after("db"))
                .deps(Dependencies.of(NAME, Map.of(NAME, List.of("db"), "db", List.of()),
                    Map.of("db", DomainPhase.Running), Map.of("db", false)))
                .expect(new Operation.None(), DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY),
            given("dependency with a probe GuestReady: boot")
                .desired(Rule6DependencyTest.after("db"))
                .deps(Dependencies.of(NAME, Map.of(NAME, List.of("db"), "db", List.of()),
                    Map.of("db", DomainPhase.Running), Map.of("db", true)))
                .expect(create(Rule6DependencyTest.after("db").spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("dependency without a probe Running: boot (as before probes)")
                .desired(Rule6DependencyTest.after("db"))
                .deps(Dependencies.of(NAME, Map.of(NAME, List.of("db"), "db", List.of()),
                    Map.of("db", DomainPhase.Running), Map.of("other", false)))
                .expect(create(Rule6DependencyTest.after("db").spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("dependency with a probe GuestReady but not Running any more: wait")
                .desired(Rule6DependencyTest.after("db"))
                .deps(Dependencies.of(NAME, Map.of(NAME, List.of("db"), "db", List.of()),
                    Map.of("db", DomainPhase.Halting), Map.of("db", true)))
                .expect(new Operation.None(), DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY));
    }

    static DesiredDomain probedInactive() {
        DesiredDomain p = probed();
        p.spec().setActivate(false);
        return p;
    }

    /** Journaled: the power button pressed at {@code firstAt} (the timeout runs from there), last pressed at {@code lastAt}. */
    static Journal pressed(long firstAt, long lastAt) {
        Operation.Shutdown sh = new Operation.Shutdown(NAME);
        Journal j = booted(probedInactive().spec(), 7, T0).withIntent(sh, at(firstAt)).withSuccess(sh, at(firstAt), null);
        return lastAt == firstAt ? j : j.withIntent(sh, at(lastAt)).withSuccess(sh, at(lastAt), null);
    }

    static Stream<RuleCase> rule11_powerButtonRepeat() {
        return Stream.of(
            given("probed guest still up 10 s after the press: press again")
                .desired(probedInactive()).observed(running(7)).journal(pressed(0, 0)).guest(READY_7).at(at(10))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("probed guest up 5 s after the press: wait until the next press, not the deadline")
                .desired(probedInactive()).observed(running(7)).journal(pressed(0, 0)).guest(READY_7).at(at(5))
                .expect(new Operation.None(), DomainPhase.Halting, Conditions.DEACTIVATED).requeue(seconds(5)),
            given("pressed again at 10 s: the next press is due at 20 s")
                .desired(probedInactive()).observed(running(7)).journal(pressed(0, 10)).guest(READY_7).at(at(15))
                .expect(new Operation.None(), DomainPhase.Halting, Conditions.DEACTIVATED).requeue(seconds(5)),
            given("pressed again at 10 s, now 20 s: press again")
                .desired(probedInactive()).observed(running(7)).journal(pressed(0, 10)).guest(READY_7).at(at(20))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("the guest went down after the press (probe not ready): the request stands, wait for the deadline")
                .desired(probedInactive()).observed(running(7)).journal(pressed(0, 0)).guest(NOT_READY_7).at(at(30))
                .expect(new Operation.None(), DomainPhase.Halting, Conditions.DEACTIVATED).requeue(seconds(30)),
            given("the timeout runs from the first press: forced poweroff at 60 s")
                .desired(probedInactive()).observed(running(7)).journal(pressed(0, 50)).guest(READY_7).at(at(60))
                .expect(new Operation.Destroy(NAME, DestroyReason.FORCED), DomainPhase.Halting, Conditions.SHUTDOWN_FORCED),
            given("no probe: one press, then the timeout")
                .desired(Rule5HaltTest.inactive()).observed(running(7)).journal(pressed(0, 0)).guest(READY_7).at(at(30))
                .expect(new Operation.None(), DomainPhase.Halting, Conditions.DEACTIVATED).requeue(seconds(30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rule11_powerButtonRepeat")
    void rule11_repeat(RuleCase c) {
        c.check();
    }

    @Test
    void pressingAgainIsNoNewEvent() {
        Decision again = given("again").desired(probedInactive()).observed(running(7)).journal(pressed(0, 0))
            .guest(READY_7).at(at(10)).decide();
        assertThat(again.operation()).isEqualTo(new Operation.Shutdown(NAME));
        assertThat(again.events()).extracting(DomainEvent::reason).doesNotContain(Conditions.GRACEFUL_SHUTDOWN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rule11_guestReadiness")
    void rule11(RuleCase c) {
        c.check();
    }

    @Test
    void guestReadyCarriesTheProbesVerdictAndReadyFollowsIt() {
        Journal up = booted(probed().spec(), 7, T0);
        Decision waiting = given("waiting").desired(probed()).observed(running(7)).journal(up).guest(NOT_READY_7).decide();
        Condition guestReady = waiting.status().condition(Conditions.GUEST_READY);
        assertThat(guestReady.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(guestReady.getMessage()).contains("connection refused by 10.0.0.5:22");
        assertThat(waiting.status().condition(Conditions.READY).getMessage()).isEqualTo(guestReady.getMessage());
        assertThat(waiting.events()).extracting(DomainEvent::reason).doesNotContain(Conditions.GUEST_READY);

        Decision ready = given("ready").desired(withLastStatus(probed(), waiting.status())).observed(running(7))
            .journal(waiting.journal()).guest(READY_7).decide();
        assertThat(ready.status().condition(Conditions.GUEST_READY).getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(ready.status().condition(Conditions.GUEST_READY).getReason()).isEqualTo(Conditions.PROBE_SUCCEEDED);
        assertThat(ready.status().condition(Conditions.READY).getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(ready.events()).extracting(DomainEvent::reason).contains(Conditions.GUEST_READY);
    }

    private static DesiredDomain withLastStatus(DesiredDomain d, io.domainoperator.api.v1alpha1.DomainConfigStatus status) {
        return new DesiredDomain(d.namespace(), d.name(), d.generation(), d.spec(), d.deletionRequested(), status);
    }

    @Test
    void withoutAProbeThereIsNoGuestReadyCondition() {
        Decision d = given("plain").observed(running(7)).journal(booted(spec(), 7, T0)).decide();
        assertThat(d.status().condition(Conditions.GUEST_READY)).isNull();
    }

    @Test
    void aDependentSaysItWaitsForTheGuest() {
        Decision d = given("waits").desired(Rule6DependencyTest.after("db"))
            .deps(Dependencies.of(NAME, Map.of(NAME, new ArrayList<>(List.of("db")), "db", List.of()),
                Map.of("db", DomainPhase.Running), Map.of("db", false))).decide();
        assertThat(d.status().condition(Conditions.READY).getMessage()).contains("db (its guest to be up: GuestReady)");
    }
}
