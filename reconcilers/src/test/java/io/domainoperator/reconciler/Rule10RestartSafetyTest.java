package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.reconciler.ModelNode.Fault;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 10: for every journaled intent, the answer after a crash leads to the desired state without a second
 * domain for the same DomainConfig. First the answers themselves, one row per intent and what the hypervisor
 * shows; then the whole life of a domain (boot, reboot to apply a change, halt, boot, delete) with the process
 * killed before and after the effect of each of its operations in turn.
 */
class Rule10RestartSafetyTest {
    static final Journal UP = booted(spec(), 7, T0);

    static Journal inFlight(Journal j, Operation op, long atSeconds) {
        return j.withIntent(op, at(atSeconds));
    }

    static Stream<RuleCase> rule10_answersForEveryUnconfirmedIntent() {
        Operation.PrepareDisks prepare = new Operation.PrepareDisks(List.of("/persist/img/base.qcow2"), UUID_TEXT);
        Operation.AssignAdapters assign = new Operation.AssignAdapters(List.of("eth1"));
        Operation.CreatePaused create = create(Rule1BootTest.copying()).op();
        Journal prepared = setUp(fresh()).preparedDisks(List.of("/persist/img/base.qcow2")).journal();
        DesiredDomain inactive = desired(spec(s -> s.setActivate(false)));
        return Stream.of(
            given("PrepareDisks unconfirmed: copy again (a copy that exists is kept)")
                .desired(desired(Rule1BootTest.copying())).journal(inFlight(fresh(), prepare, 0))
                .expect(prepare, DomainPhase.Booting, Conditions.BOOTING),
            given("AssignAdapters unconfirmed: assign again (bound ones are fine)")
                .desired(desired(Rule8AdapterTest.WANTS_ETH1)).journal(inFlight(fresh(), assign, 0))
                .adapters(AdapterView.free("eth1", adapter("0000:03:00.0")))
                .expect(assign, DomainPhase.Booting, Conditions.BOOTING),
            given("CreatePaused unconfirmed, nothing listed: create again (the backend refuses a name in use)")
                .desired(desired(Rule1BootTest.copying())).journal(inFlight(prepared, create, 0))
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("CreatePaused unconfirmed, a paused domain that never ran: ours, half-created, rebuild")
                .desired(desired(Rule1BootTest.copying())).journal(inFlight(prepared, create, 0)).observed(paused(7, 0))
                .expect(new Operation.Destroy(NAME, DestroyReason.HALF_CREATED), DomainPhase.Booting,
                    Conditions.HALF_CREATED_REBUILT),
            given("Unpause unconfirmed, still paused: unpause again")
                .journal(inFlight(createdPaused(spec(), 7, T0), new Operation.Unpause(NAME), 1)).observed(paused(7, 0))
                .expect(new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING),
            given("Unpause unconfirmed, running: the boot completed")
                .journal(inFlight(createdPaused(spec(), 7, T0), new Operation.Unpause(NAME), 1)).observed(running(7))
                .expect(new Operation.None(), DomainPhase.Running, Conditions.RUNNING),
            given("Shutdown unconfirmed, running: counts as asked, wait for the timeout")
                .desired(inactive).journal(inFlight(UP, new Operation.Shutdown(NAME), 10)).observed(running(7)).at(at(20))
                .expect(new Operation.None(), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("Shutdown unconfirmed, timeout over: destroy")
                .desired(inactive).journal(inFlight(UP, new Operation.Shutdown(NAME), 10)).observed(running(7)).at(at(70))
                .expect(new Operation.Destroy(NAME, DestroyReason.FORCED), DomainPhase.Halting, Conditions.SHUTDOWN_FORCED),
            given("Destroy unconfirmed, domain gone: destroy by name again before releasing anything")
                .desired(inactive).journal(inFlight(UP, new Operation.Destroy(NAME, DestroyReason.FORCED), 70))
                .at(at(71))
                .expect(new Operation.Destroy(NAME, DestroyReason.STOPPED), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("ReleaseAdapters unconfirmed: release again")
                .desired(inactive).journal(inFlight(setUp(fresh()).assignedAdapters(List.of("eth1")).journal(),
                    new Operation.ReleaseAdapters(List.of("eth1")), 0))
                .expect(new Operation.ReleaseAdapters(List.of("eth1")), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("CleanupDisks unconfirmed: clean again")
                .desired(deleting(spec())).journal(inFlight(prepared, new Operation.CleanupDisks(
                    List.of("/persist/img/base.qcow2"), UUID_TEXT), 0))
                .expect(new Operation.CleanupDisks(List.of("/persist/img/base.qcow2"), UUID_TEXT), DomainPhase.Halting,
                    Conditions.DELETING),
            given("ForgetDomain unconfirmed: forget again")
                .desired(deleting(spec())).journal(inFlight(fresh(), new Operation.ForgetDomain(), 0))
                .expect(new Operation.ForgetDomain(), DomainPhase.Halted, Conditions.DELETING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule10_answersForEveryUnconfirmedIntent(RuleCase c) {
        c.check();
    }

    @Test
    void rule10_anUnpauseThatHappenedIsJournaledAsABoot() {
        Journal j = inFlight(createdPaused(spec(), 7, T0), new Operation.Unpause(NAME), 1);
        Decision d = decide(desired(spec()), running(7), j, at(2));
        assertThat(d.journal().pausedByUs()).isFalse();
        assertThat(d.journal().lastBootTime()).isEqualTo(at(1));
        assertThat(d.journal().inFlight()).isFalse();
    }

    @Test
    void rule10_unconfirmedCopiesAndAdaptersAreCleanedUpOnDeletion() {
        Journal j = inFlight(fresh(), new Operation.PrepareDisks(List.of("/d"), UUID_TEXT), 0);
        assertThat(decide(deleting(spec()), null, j, at(1)).operation())
            .isEqualTo(new Operation.CleanupDisks(List.of("/d"), UUID_TEXT));
        Journal k = inFlight(fresh(), new Operation.AssignAdapters(List.of("eth1")), 0);
        assertThat(decide(deleting(spec()), null, k, at(1)).operation())
            .isEqualTo(new Operation.ReleaseAdapters(List.of("eth1")));
    }

    // --- the whole life of a domain, killed at each operation in turn ---

    /** Boot; change vcpus (graceful reboot); deactivate; activate; delete. Converged after each. */
    static ModelNode live(Map<Integer, Fault> faults) {
        ModelNode node = new ModelNode();
        ModelNode.Config c = node.add("d0", ModelNode.spec("d0", true, true, true, false));
        List<Runnable> changes = List.of(() -> { }, () -> {
            c.spec.setVcpus(3);
            c.generation++;
        }, () -> {
            c.spec.setActivate(false);
            c.generation++;
        }, () -> {
            c.spec.setActivate(true);
            c.generation++;
        }, () -> c.deleted = true);
        for (Runnable change : changes) {
            change.run();
            int budget = 40;
            do {
                node.step(faults.getOrDefault(node.steps + 1, Fault.NONE));
            } while (budget-- > 0 && !(node.converged() && node.next() != null && node.next().due.isAfter(node.now))
                && !c.forgotten);
            assertThat(node.violations).as(node.report()).isEmpty();
            assertThat(node.converged()).as("after change %d:%n%s", changes.indexOf(change), node.report()).isTrue();
        }
        return node;
    }

    static Stream<Arguments> rule10_killedAroundEveryOperationOfADomainsLife() {
        ModelNode dry = live(Map.of());
        List<Arguments> cases = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        dry.operations.forEach((step, kind) -> {
            int n = seen.merge(kind, 1, Integer::sum);
            for (Fault f : List.of(Fault.KILLED_BEFORE_EFFECT, Fault.KILLED_AFTER_EFFECT, Fault.OPERATION_FAILS)) {
                cases.add(Arguments.of(f + " at " + kind + " #" + n + " (step " + step + ")", step, f));
            }
        });
        assertThat(dry.operations.values()).as("the life covers every operation").containsAll(List.of(
            "PrepareDisks", "AssignAdapters", "CreatePaused", "Unpause", "Shutdown", "Destroy", "ReleaseAdapters",
            "CleanupDisks", "ForgetDomain"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule10_killedAroundEveryOperationOfADomainsLife(String name, int step, Fault fault) {
        ModelNode node = live(Map.of(step, fault));
        assertThat(node.configs.get("d0").forgotten).isTrue();
        assertThat(node.hv.domains()).isEmpty();
        assertThat(node.diskCopies).isEmpty();
        assertThat(node.adapterHolder).isEmpty();
    }
}
