package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 6: startAfter. A domain starts only when each named domain is Running; it is not halted while a domain
 * naming it is up (dependents halt first), unless deletion forces it after a deadline. Cycles are rejected with a
 * condition naming the cycle.
 */
class Rule6DependencyTest {

    static DesiredDomain after(String... names) {
        return desired(spec(s -> s.setStartAfter(new ArrayList<>(List.of(names)))));
    }

    static Dependencies dependencies(Map<String, DomainPhase> phases) {
        return new Dependencies(phases, Map.of(), List.of());
    }

    static Dependencies dependents(Map<String, DomainPhase> phases) {
        return new Dependencies(Map.of(), phases, List.of());
    }

    static Stream<RuleCase> rule6_startAfterAndHaltOrder() {
        Journal up = booted(spec(), 7, T0);
        return Stream.of(
            given("dependency not Running: Scheduled, waiting")
                .desired(after("db")).deps(dependencies(Map.of("db", DomainPhase.Booting)))
                .expect(new Operation.None(), DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY),
            given("dependency has no DomainConfig: waiting")
                .desired(after("db"))
                .expect(new Operation.None(), DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY),
            given("one of two dependencies Running: still waiting")
                .desired(after("db", "dns"))
                .deps(dependencies(Map.of("db", DomainPhase.Running, "dns", DomainPhase.Halted)))
                .expect(new Operation.None(), DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY),
            given("all dependencies Running: boot")
                .desired(after("db", "dns"))
                .deps(dependencies(Map.of("db", DomainPhase.Running, "dns", DomainPhase.Running)))
                .expect(create(after("db", "dns").spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("waits for itself: InvalidSpec before any cycle search or wait, never boots")
                .desired(after(NAME)).deps(dependencies(Map.of(NAME, DomainPhase.Scheduled)))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.INVALID_SPEC),
            given("a cycle: Broken, never boots")
                .desired(after("db")).deps(new Dependencies(Map.of("db", DomainPhase.Running), Map.of(),
                    List.of("vm1", "db", "vm1")))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.DEPENDENCY_CYCLE),
            given("deactivated while a dependent runs: wait for it")
                .desired(desired(spec(s -> s.setActivate(false)))).observed(running(7)).journal(up)
                .deps(dependents(Map.of("web", DomainPhase.Running)))
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS),
            given("deactivated while a dependent is still halting: wait for it")
                .desired(desired(spec(s -> s.setActivate(false)))).observed(running(7)).journal(up)
                .deps(dependents(Map.of("web", DomainPhase.Halting)))
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS),
            given("deactivated, not listed but journaled as up (a listing older than its restore), dependent "
                + "running: wait for it, no destroy by name")
                .desired(desired(spec(s -> s.setActivate(false)))).journal(up)
                .deps(dependents(Map.of("web", DomainPhase.Running)))
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS),
            given("deactivated, dependents halted: shut down")
                .desired(desired(spec(s -> s.setActivate(false)))).observed(running(7)).journal(up)
                .deps(dependents(Map.of("web", DomainPhase.Halted, "api", DomainPhase.Broken)))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("deactivated, dependent waits for us itself (Scheduled): shut down")
                .desired(desired(spec(s -> s.setActivate(false)))).observed(running(7)).journal(up)
                .deps(dependents(Map.of("web", DomainPhase.Scheduled)))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DEACTIVATED),
            given("deleted, dependent running, deadline not reached: wait")
                .desired(deleting(spec())).observed(running(7))
                .journal(setUp(up).haltWaitSince(at(0)).journal()).at(at(299))
                .deps(dependents(Map.of("web", DomainPhase.Running)))
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS),
            given("deleted, dependent running, deadline passed: halt anyway")
                .desired(deleting(spec())).observed(running(7))
                .journal(setUp(up).haltWaitSince(at(0)).journal()).at(at(300))
                .deps(dependents(Map.of("web", DomainPhase.Running)))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DELETING),
            given("deactivated, dependent running, long after: still waits (no deadline without deletion)")
                .desired(desired(spec(s -> s.setActivate(false)))).observed(running(7))
                .journal(setUp(up).haltWaitSince(at(0)).journal()).at(at(100_000))
                .deps(dependents(Map.of("web", DomainPhase.Running)))
                .expect(new Operation.None(), DomainPhase.Halting, Reasons.WAITING_FOR_DEPENDENTS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule6_startAfterAndHaltOrder(RuleCase c) {
        c.check();
    }

    @Test
    void rule6_theCycleIsNamed() {
        Dependencies deps = Dependencies.of("a", Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("a")),
            Map.of("b", DomainPhase.Running));
        assertThat(deps.cycle()).containsExactly("a", "b", "c", "a");
        Decision d = decide(new DesiredDomain(NS, "a", 1, spec(s -> s.setStartAfter(new ArrayList<>(List.of("b")))),
            false, null), null, fresh(), List.of(), deps, T0);
        assertThat(d.status().condition(Conditions.READY).getMessage()).contains("a -> b -> c -> a");
    }

    @Test
    void rule6_aCycleFurtherDownIsFoundToo() {
        assertThat(Dependencies.findCycle("top", Map.of("top", List.of("x"), "x", List.of("y"), "y", List.of("x"))))
            .containsExactly("x", "y", "x");
        assertThat(Dependencies.findCycle("top", Map.of("top", List.of("x", "y"), "x", List.of("y"),
            "y", List.of()))).as("a diamond is no cycle").isEmpty();
        assertThat(Dependencies.findCycle("self", Map.of("self", List.of("self")))).containsExactly("self", "self");
    }

    @Test
    void rule6_neighbourhoodFromTheNamespace() {
        Map<String, List<String>> graph = Map.of("web", List.of("db", "ghost"), "db", List.of(), "batch",
            List.of("db"));
        Dependencies db = Dependencies.of("db", graph, Map.of("web", DomainPhase.Running));
        assertThat(db.dependencyPhases()).isEmpty();
        assertThat(db.dependentPhases()).containsOnly(Map.entry("web", DomainPhase.Running),
            Map.entry("batch", DomainPhase.Pending));
        Dependencies web = Dependencies.of("web", graph, Map.of("db", DomainPhase.Running));
        assertThat(web.dependencyPhases()).as("ghost has no DomainConfig").containsOnly(
            Map.entry("db", DomainPhase.Running));
        assertThat(web.notReady(List.of("db", "ghost"))).containsExactly("ghost");
    }

    @Test
    void rule6_theWaitForDependentsIsJournaledOnceAndClearedWhenNoLongerHalting() {
        Decision d = decide(deleting(spec()), running(7), booted(spec(), 7, T0), List.of(),
            dependents(Map.of("web", DomainPhase.Running)), at(10));
        assertThat(d.journal().haltWaitSince()).isEqualTo(at(10));
        Decision later = decide(deleting(spec()), running(7), d.journal(), List.of(),
            dependents(Map.of("web", DomainPhase.Running)), at(20));
        assertThat(later.journal().haltWaitSince()).isEqualTo(at(10));
        Decision reactivated = decide(desired(spec()), running(7), d.journal(), at(30));
        assertThat(reactivated.journal().haltWaitSince()).isNull();
    }
}
