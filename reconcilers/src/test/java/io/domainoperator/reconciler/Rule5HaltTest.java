package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.ShutdownReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 5: activate false or deletion -> graceful shutdown, destroy after the timeout, release adapters, and on
 * deletion only clean the disk copies (unless kept). Never clean a disk while a domain could still use it.
 */
class Rule5HaltTest {
    static final List<String> DISKS = List.of("/persist/img/base.qcow2");

    static DesiredDomain inactive() {
        return desired(spec(s -> s.setActivate(false)));
    }

    static Journal requested(Journal j, long atSeconds) {
        return setUp(j).shutdownAsked(at(atSeconds), 1).journal();
    }

    static Journal withResources(Journal j) {
        return setUp(j).assignedAdapters(List.of("eth1")).preparedDisks(DISKS).journal();
    }

    static Stream<RuleCase> rule5_haltSequence() {
        Journal up = booted(spec(), 7, T0);
        Journal gone = withResources(fresh());
        return Stream.of(
            given("activate false, running: ask the guest to shut down")
                .desired(inactive()).observed(running(7)).journal(up)
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("deletion, running: ask the guest to shut down")
                .desired(deleting(spec())).observed(running(7)).journal(withResources(up))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DELETING),
            given("asked 30 s ago, timeout 60 s: wait the rest")
                .desired(inactive()).observed(running(7)).journal(requested(up, 0)).at(at(30))
                .expect(new Operation.None(), DomainPhase.Halting, Conditions.DEACTIVATED).requeue(seconds(30)),
            given("asked 60 s ago: forced poweroff")
                .desired(inactive()).observed(running(7)).journal(requested(up, 0)).at(at(60))
                .expect(new Operation.Destroy(NAME, DestroyReason.FORCED), DomainPhase.Halting,
                    Conditions.SHUTDOWN_FORCED),
            given("spec.shutdownTimeoutSeconds overrides the knob")
                .desired(desired(spec(s -> { s.setActivate(false); s.setShutdownTimeoutSeconds(10); })))
                .observed(running(7)).journal(requested(up, 0)).at(at(10))
                .expect(new Operation.Destroy(NAME, DestroyReason.FORCED), DomainPhase.Halting,
                    Conditions.SHUTDOWN_FORCED),
            given("the guest powered off after our request: remove the shell")
                .desired(inactive()).observed(stopped(7, ShutdownReason.POWEROFF)).journal(requested(up, 0)).at(at(5))
                .expect(new Operation.Destroy(NAME, DestroyReason.SHUTDOWN_COMPLETE), DomainPhase.Halting,
                    Conditions.DEACTIVATED),
            given("crashed and deactivated: destroy, no shutdown request")
                .desired(inactive()).observed(crashed(7)).journal(up)
                .expect(new Operation.Destroy(NAME, DestroyReason.STOPPED), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("created paused by us and never run: destroy")
                .desired(inactive()).observed(paused(7, 0)).journal(createdPaused(spec(), 7, T0))
                .expect(new Operation.Destroy(NAME, DestroyReason.NEVER_STARTED), DomainPhase.Halting,
                    Conditions.DEACTIVATED),
            given("paused by someone with CPU time: unpause so the guest can shut down")
                .desired(inactive()).observed(paused(7, 9)).journal(up)
                .expect(new Operation.Unpause(NAME), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("dying: wait")
                .desired(inactive()).observed(dying(7)).journal(up)
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.DYING),
            given("absent, but the journal has a domain: destroy by name before releasing anything")
                .desired(deleting(spec())).journal(withResources(up))
                .expect(new Operation.Destroy(NAME, DestroyReason.STOPPED), DomainPhase.Halting, Conditions.DELETING),
            given("absent, CreatePaused unconfirmed: destroy by name first (it may exist)")
                .desired(deleting(spec())).journal(withResources(fresh()).withIntent(create(spec()).op(), T0))
                .expect(new Operation.Destroy(NAME, DestroyReason.STOPPED), DomainPhase.Halting, Conditions.DELETING),
            given("gone, adapters held: release them")
                .desired(inactive()).journal(gone)
                .expect(new Operation.ReleaseAdapters(List.of("eth1")), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("deactivated, gone, released: halted, disk copies kept")
                .desired(inactive()).journal(setUp(gone).assignedAdapters(List.of()).journal())
                .expect(new Operation.None(), DomainPhase.Halted, Conditions.DEACTIVATED),
            given("deleted, gone, released: clean the disk copies")
                .desired(deleting(spec())).journal(setUp(gone).assignedAdapters(List.of()).journal())
                .expect(new Operation.CleanupDisks(DISKS, UUID_TEXT), DomainPhase.Halting, Conditions.DELETING),
            given("deleted with keepDisksOnDelete: forget, copies kept")
                .desired(deleting(spec(s -> s.setKeepDisksOnDelete(true))))
                .journal(setUp(gone).assignedAdapters(List.of()).journal())
                .expect(new Operation.ForgetDomain(), DomainPhase.Halted, Conditions.DELETING),
            given("deleted and everything cleaned: forget")
                .desired(deleting(spec()))
                .expect(new Operation.ForgetDomain(), DomainPhase.Halted, Conditions.DELETING),
            given("destroy failed 2 s ago: wait before retrying")
                .desired(inactive()).observed(running(7))
                .journal(failed(requested(up, 0), new Operation.Destroy(NAME, DestroyReason.FORCED), 60)).at(at(62))
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.OPERATION_FAILED).requeue(seconds(3)),
            given("destroy failed 5 s ago: retry")
                .desired(inactive()).observed(running(7))
                .journal(failed(requested(up, 0), new Operation.Destroy(NAME, DestroyReason.FORCED), 60)).at(at(65))
                .expect(new Operation.Destroy(NAME, DestroyReason.FORCED), DomainPhase.Halting,
                    Conditions.SHUTDOWN_FORCED));
    }

    static Journal failed(Journal j, Operation op, long atSeconds) {
        return j.withIntent(op, at(atSeconds)).withFailure(op, "libxl: domain busy", at(atSeconds));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule5_haltSequence(RuleCase c) {
        c.check();
    }

    @Test
    void rule5_neverCleansDisksWhileADomainMayExist() {
        Journal j = withResources(booted(spec(), 7, T0));
        for (var observed : new io.domainoperator.hypervisor.DomainInfo[] {running(7), paused(7, 0), crashed(7),
            dying(7), null}) {
            Decision d = decide(deleting(spec()), observed, j, at(1000));
            assertThat(d.operation()).as("observed %s", observed)
                .isNotInstanceOf(Operation.CleanupDisks.class).isNotInstanceOf(Operation.ReleaseAdapters.class)
                .isNotInstanceOf(Operation.ForgetDomain.class);
        }
    }

    @Test
    void rule5_gracefulShutdownAndForcedPoweroffAreAnnounced() {
        Decision ask = decide(inactive(), running(7), booted(spec(), 7, T0), at(10));
        assertThat(ask.events()).extracting(DomainEvent::reason).containsExactly(Conditions.GRACEFUL_SHUTDOWN);
        Journal asked = ask.journal().withIntent(ask.operation(), at(10));
        assertThat(asked.shutdownRequestedAt()).as("timed from the intent").isEqualTo(at(10));
        asked = asked.withSuccess(ask.operation(), at(11), null);
        assertThat(asked.shutdownRequestedAt()).isEqualTo(at(10));
        Decision force = decide(withStatus(inactive(), ask.status()), running(7), asked, at(70));
        assertThat(force.events()).extracting(DomainEvent::reason).containsExactly(Conditions.SHUTDOWN_FORCED);
    }

    @Test
    void rule5_aFailedShutdownRequestIsAskedAgain() {
        Operation.Shutdown sh = new Operation.Shutdown(NAME);
        Journal j = booted(spec(), 7, T0).withIntent(sh, at(10)).withFailure(sh, "xl shutdown: no PV drivers", at(10));
        assertThat(j.shutdownRequestedAt()).isNull();
        assertThat(decide(inactive(), running(7), j, at(12)).operation()).isInstanceOf(Operation.None.class);
        assertThat(decide(inactive(), running(7), j, at(15)).operation()).isEqualTo(sh);
    }
}
