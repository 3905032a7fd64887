package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 1: active and absent -> boot sequence; EVE's boot-retry schedule; a successful boot resets the count. */
class Rule1BootTest {

    static DomainConfigSpec copying() {
        return spec(s -> {
            Disk d = new Disk("/persist/img/base.qcow2", DiskFormat.qcow2, "xvda");
            d.setCopyOnStart(true);
            s.setDisks(new ArrayList<>(List.of(d)));
        });
    }

    static Stream<RuleCase> rule1_bootSequenceAndRetrySchedule() {
        Operation create = create(spec()).op();
        return Stream.of(
            given("active and absent: create paused with the derived uuid")
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("spec.uuid wins over the derived uuid")
                .desired(desired(spec(s -> s.setUuid("0b0c6c3e-3b8a-4b8e-9a7e-000000000001"))))
                .expect(new Operation.CreatePaused(NAME, "0b0c6c3e-3b8a-4b8e-9a7e-000000000001",
                    spec(s -> s.setUuid("0b0c6c3e-3b8a-4b8e-9a7e-000000000001")), List.of()),
                    DomainPhase.Booting, Conditions.BOOTING),
            given("copyOnStart disk not copied yet: prepare disks first")
                .desired(desired(copying()))
                .expect(new Operation.PrepareDisks(List.of("/persist/img/base.qcow2"), UUID_TEXT), DomainPhase.Booting,
                    Conditions.BOOTING),
            given("copyOnStart disk copied: create")
                .desired(desired(copying()))
                .journal(setUp(Journal.empty()).preparedDisks(List.of("/persist/img/base.qcow2")).journal())
                .expect(create(copying()).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("one failed attempt, 2 s later: Broken, waiting for the quick retry")
                .journal(failedBoots(1, T0)).at(at(2))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.BOOT_FAILED).requeue(seconds(3)),
            given("one failed attempt, 5 s later: retry")
                .journal(failedBoots(1, T0)).at(at(5))
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("two failed attempts, 5 s later: third attempt of the round")
                .journal(failedBoots(2, T0)).at(at(5))
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("three failed attempts: the round is over, wait timer.boot.retry (600 s)")
                .journal(failedBoots(3, T0)).at(at(5))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.BOOT_RETRY_SCHEDULED)
                .requeue(seconds(595)),
            given("three failed attempts, 599 s later: still waiting")
                .journal(failedBoots(3, T0)).at(at(599))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.BOOT_RETRY_SCHEDULED),
            given("three failed attempts, 600 s later: next round")
                .journal(failedBoots(3, T0)).at(at(600))
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("fourth failure starts a new round of quick retries")
                .journal(failedBoots(4, T0)).at(at(5))
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("spec.bootRetrySeconds overrides the knob")
                .desired(desired(spec(s -> s.setBootRetrySeconds(30)))).journal(failedBoots(3, T0)).at(at(30))
                .expect(create(spec(s -> s.setBootRetrySeconds(30))).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("a changed spec (new generation) retries at once")
                .desired(desired(spec(), 2)).journal(failedBoots(3, T0)).at(at(1))
                .expect(create, DomainPhase.Booting, Conditions.BOOTING),
            given("an invalid spec does not boot")
                .desired(desired(spec(s -> s.setVcpus(null))))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.INVALID_SPEC),
            given("created paused by us: unpause")
                .observed(paused(7, 0)).journal(createdPaused(spec(), 7, T0))
                .expect(new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING),
            given("running after our unpause: Running")
                .observed(running(7)).journal(booted(spec(), 7, T0)).at(at(1))
                .expect(new Operation.None(), DomainPhase.Running, Conditions.RUNNING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule1_bootSequenceAndRetrySchedule(RuleCase c) {
        c.check();
    }

    @Test
    void rule1_brokenShowsTheErrorAndNextBootRetryTime() {
        Decision d = decide(desired(spec()), null, failedBoots(3, T0), at(5));
        assertThat(d.status().getLastBootError()).contains("disk image not found");
        assertThat(d.status().getNextBootRetryTime()).isEqualTo("2026-11-24T05:10:00Z");
        assertThat(d.status().getBootAttempts()).isEqualTo(3);
        assertThat(d.status().condition(Conditions.READY).getMessage()).contains("next round at 2026-11-24T05:10:00Z");
        assertThat(d.events()).extracting(DomainEvent::reason)
            .containsExactly(Conditions.BOOT_FAILED, Conditions.BOOT_RETRY_SCHEDULED);
    }

    @Test
    void rule1_successfulBootResetsTheCount() {
        Journal j = failedBoots(2, T0);
        Operation.CreatePaused c = create(spec()).op();
        j = j.withIntent(c, at(5)).withSuccess(c, at(5), paused(9, 0));
        assertThat(j.bootAttempts()).as("creating is not booting yet").isEqualTo(2);
        Operation.Unpause u = new Operation.Unpause(NAME);
        j = j.withIntent(u, at(6)).withSuccess(u, at(6), null);
        assertThat(j.bootAttempts()).isZero();
        assertThat(j.bootFailure()).isNull();
        assertThat(j.lastBootTime()).isEqualTo(at(6));
        Decision d = decide(desired(spec()), running(9), j, at(7));
        assertThat(d.status().getBootAttempts()).isZero();
        assertThat(d.status().getLastBootError()).isNull();
        assertThat(d.status().getNextBootRetryTime()).isNull();
        assertThat(d.events()).extracting(DomainEvent::reason).containsExactly(Reasons.STARTED);
    }

    @Test
    void rule1_bootFailureEventsOnlyOnTransition() {
        Decision first = decide(desired(spec()), null, failedBoots(1, T0), at(1));
        assertThat(first.events()).extracting(DomainEvent::reason).containsExactly(Conditions.BOOT_FAILED);
        Decision again = decide(withStatus(desired(spec()), first.status()), null, first.journal(), at(2));
        assertThat(again.events()).isEmpty();
        assertThat(again.status()).isEqualTo(first.status());
    }

    @Test
    void rule1_failedBootStepOfAnyKindCounts() {
        Operation.PrepareDisks p = new Operation.PrepareDisks(List.of("/a"), UUID_TEXT);
        Journal j = Journal.empty().withIntent(p, T0).withFailure(p, "no space left on device", T0);
        assertThat(j.bootAttempts()).isEqualTo(1);
        Operation.Destroy d = new Operation.Destroy(NAME, DestroyReason.HALF_CREATED);
        Journal k = j.withIntent(d, T0).withFailure(d, "busy", T0);
        assertThat(k.bootAttempts()).as("a destroy is not a boot step").isEqualTo(1);
        assertThat(k.bootFailure().error()).isEqualTo("no space left on device");
    }
}
