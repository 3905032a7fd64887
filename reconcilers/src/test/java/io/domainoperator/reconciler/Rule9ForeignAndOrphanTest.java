package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 9: foreign domains (not created by this operator) are never touched; domains of ours with no DomainConfig
 * (orphans) are halted after a grace period.
 */
class Rule9ForeignAndOrphanTest {

    static Stream<RuleCase> rule9_foreignDomainsAreNeverTouched() {
        return Stream.of(
            given("a foreign domain has our name: Broken, untouched")
                .observed(foreign(3))
                .expect(new Operation.None(), DomainPhase.Broken, Reasons.DOMAIN_NAME_IN_USE),
            given("a foreign domain has our name and we are deactivated: halted, untouched")
                .desired(desired(spec(s -> s.setActivate(false)))).observed(foreign(3))
                .expect(new Operation.None(), DomainPhase.Halted, io.domainoperator.api.v1alpha1.Conditions.DEACTIVATED),
            given("a foreign domain has our name and we are deleted: forget, untouched")
                .desired(deleting(spec())).observed(foreign(3))
                .expect(new Operation.ForgetDomain(), DomainPhase.Halted, io.domainoperator.api.v1alpha1.Conditions.DELETING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule9_foreignDomainsAreNeverTouched(RuleCase c) {
        c.check();
    }

    @Test
    void rule9_aForeignDomainIsNeverTouchedWhateverTheJournalSays() {
        Journal j = booted(spec(), 3, T0);
        for (DesiredDomain d : List.of(desired(spec()), deleting(spec()), desired(spec(s -> s.setActivate(false))))) {
            Decision decision = decide(d, foreign(3), j, at(1000));
            assertThat(decision.operation()).as("%s", d).satisfiesAnyOf(
                op -> assertThat(op).isInstanceOf(Operation.None.class),
                op -> assertThat(op).isInstanceOf(Operation.ReleaseAdapters.class),
                op -> assertThat(op).isInstanceOf(Operation.CleanupDisks.class),
                op -> assertThat(op).isInstanceOf(Operation.ForgetDomain.class));
        }
        assertThat(ENGINE.decideOrphan(Optional.of(foreign(3)), Journal.empty(), at(10_000)).operation())
            .isInstanceOf(Operation.None.class);
    }

    @Test
    void rule9_orphansAreHaltedAfterTheGracePeriod() {
        DomainInfo orphan = running(7);
        Decision first = ENGINE.decideOrphan(Optional.of(orphan), Journal.empty(), T0);
        assertThat(first.operation()).isInstanceOf(Operation.None.class);
        assertThat(first.status()).isNull();
        assertThat(first.journal().orphanSince()).isEqualTo(T0);
        assertThat(first.requeueAfter()).isEqualTo(KNOBS.orphanGrace());

        Decision inGrace = ENGINE.decideOrphan(Optional.of(orphan), first.journal(), at(59));
        assertThat(inGrace.operation()).isInstanceOf(Operation.None.class);
        assertThat(inGrace.requeueAfter()).isEqualTo(Duration.ofSeconds(1));

        Decision halt = ENGINE.decideOrphan(Optional.of(orphan), first.journal(), at(60));
        assertThat(halt.operation()).isEqualTo(new Operation.Shutdown(NAME));
        Journal asked = halt.journal().withIntent(halt.operation(), at(60)).withSuccess(halt.operation(), at(60), null);

        Decision force = ENGINE.decideOrphan(Optional.of(orphan), asked, at(120));
        assertThat(force.operation()).isEqualTo(new Operation.Destroy(NAME, DestroyReason.FORCED));
        Journal destroyed = force.journal().withIntent(force.operation(), at(120))
            .withSuccess(force.operation(), at(120), null);
        destroyed = setUp(destroyed).assignedAdapters(List.of("eth1")).journal();

        Decision release = ENGINE.decideOrphan(Optional.empty(), destroyed, at(121));
        assertThat(release.operation()).isEqualTo(new Operation.ReleaseAdapters(List.of("eth1")));
        Journal released = release.journal().withIntent(release.operation(), at(121))
            .withSuccess(release.operation(), at(121), null);

        Decision forget = ENGINE.decideOrphan(Optional.empty(), setUp(released).preparedDisks(List.of("/d")).journal(),
            at(122));
        assertThat(forget.operation()).as("an orphan's disk copies are kept").isInstanceOf(Operation.ForgetDomain.class);
    }

    /** An orphan's whole halt, with the process killed before or after the effect of its k-th operation. */
    @ParameterizedTest(name = "killed {1} at operation {0}")
    @MethodSource
    void rule9_anOrphanIsHaltedAndForgottenWhereverTheProcessDies(int k, ModelNode.Fault fault, boolean ignoresShutdown) {
        ModelHypervisor hv = new ModelHypervisor();
        hv.createPaused(new Operation.CreatePaused("gone", UUID_TEXT, spec(), List.of()), "apps/gone", false);
        hv.unpause("gone");
        hv.domains().get(0).ignoresShutdown = ignoresShutdown;
        Journal j = setUp(Journal.empty()).assignedAdapters(List.of("eth1")).journal();
        java.time.Instant now = T0;
        int ops = 0;
        boolean forgotten = false;
        for (int step = 0; step < 40 && !forgotten; step++) {
            hv.advance(now);
            Decision d = ENGINE.decideOrphan(hv.lookup("gone"), j, now);
            j = d.journal();
            if (d.hasOperation()) {
                Operation op = d.operation();
                j = j.withIntent(op, now);
                boolean kill = ops++ == k;
                if (!(kill && fault == ModelNode.Fault.KILLED_BEFORE_EFFECT)) {
                    switch (op) {
                        case Operation.Shutdown sh -> hv.requestShutdown(sh.name(), now);
                        case Operation.Destroy x -> hv.destroy(x.name());
                        case Operation.ForgetDomain f -> forgotten = true;
                        default -> { }
                    }
                    if (!kill) {
                        j = j.withSuccess(op, now, null);
                    }
                }
            }
            now = now.plus(d.requeueAfter());
        }
        assertThat(forgotten).isTrue();
        assertThat(hv.domains()).isEmpty();
        assertThat(j.adaptersToRelease()).as("released before forgetting").isEmpty();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> rule9_anOrphanIsHaltedAndForgottenWhereverTheProcessDies() {
        List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            for (ModelNode.Fault f : List.of(ModelNode.Fault.KILLED_BEFORE_EFFECT, ModelNode.Fault.KILLED_AFTER_EFFECT)) {
                cases.add(org.junit.jupiter.params.provider.Arguments.of(k, f, k % 2 == 1));
            }
        }
        return cases.stream();
    }

    @Test
    void rule9_aStoppedOrHalfCreatedOrphanIsDestroyedWithoutAShutdownRequest() {
        Journal seen = setUp(Journal.empty()).orphanSince(T0).journal();
        assertThat(ENGINE.decideOrphan(Optional.of(crashed(7)), seen, at(60)).operation())
            .isEqualTo(new Operation.Destroy(NAME, DestroyReason.STOPPED));
        assertThat(ENGINE.decideOrphan(Optional.of(paused(7, 0)), seen, at(60)).operation())
            .isEqualTo(new Operation.Destroy(NAME, DestroyReason.HALF_CREATED));
    }
}
