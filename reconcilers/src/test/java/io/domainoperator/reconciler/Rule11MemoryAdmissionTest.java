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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 11: a domain boots only when its maximum memory fits in the node's free memory minus what other domains
 * being started have reserved; otherwise it is Pending, InsufficientMemory, with the figures, and boots when
 * memory frees up. No boot attempt is spent waiting.
 */
class Rule11MemoryAdmissionTest {
    static final long MIB = 1L << 20;

    static NodeMemory free(long freeMiB, long reservedMiB) {
        return NodeMemory.of(freeMiB * MIB, reservedMiB * MIB);
    }

    static Stream<RuleCase> rule11_memoryGatesTheBoot() {
        DomainConfigSpec balloon = spec(s -> s.setMaxMemoryMiB(2048));
        DomainConfigSpec copied = spec(s -> {
            Disk d = new Disk("/persist/img/vm1.qcow2", DiskFormat.qcow2, "xvda");
            d.setCopyOnStart(true);
            s.setDisks(new ArrayList<>(List.of(d)));
        });
        return Stream.of(
            given("fits exactly: create").memory(free(512, 0))
                .expect(create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("nothing known about the node: create, the backend decides").memory(NodeMemory.UNKNOWN)
                .expect(create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            given("too little free: Pending").memory(free(400, 0))
                .expect(new Operation.None(), DomainPhase.Pending, Reasons.INSUFFICIENT_MEMORY)
                .requeue(KNOBS.pollInterval()),
            given("free enough, but reserved by domains being started: Pending").memory(free(1024, 600))
                .expect(new Operation.None(), DomainPhase.Pending, Reasons.INSUFFICIENT_MEMORY),
            given("reservations larger than the free figure: Pending, not a negative sum").memory(free(100, 600))
                .expect(new Operation.None(), DomainPhase.Pending, Reasons.INSUFFICIENT_MEMORY),
            given("maxMemoryMiB counts, not the initial memory").desired(desired(balloon)).memory(free(1024, 0))
                .expect(new Operation.None(), DomainPhase.Pending, Reasons.INSUFFICIENT_MEMORY),
            given("no disk is copied for a domain that does not fit").desired(desired(copied)).memory(free(100, 0))
                .expect(new Operation.None(), DomainPhase.Pending, Reasons.INSUFFICIENT_MEMORY),
            given("copy first when it fits").desired(desired(copied)).memory(free(4096, 0))
                .expect(new Operation.PrepareDisks(List.of("/persist/img/vm1.qcow2"), UUID_TEXT), DomainPhase.Booting,
                    Conditions.BOOTING),
            given("a running domain is never judged by memory").observed(running(7)).journal(booted(spec(), 7, T0))
                .memory(free(0, 4096)).at(at(60))
                .expect(new Operation.None(), DomainPhase.Running, Conditions.RUNNING),
            given("a created paused domain is unpaused whatever the memory").observed(paused(7, 0))
                .journal(createdPaused(spec(), 7, T0)).memory(free(0, 0))
                .expect(new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING),
            given("a dependency that does not run comes first").desired(Rule6DependencyTest.after("db"))
                .deps(Rule6DependencyTest.dependencies(Map.of("db", DomainPhase.Booting))).memory(free(0, 0))
                .expect(new Operation.None(), DomainPhase.Scheduled, Conditions.WAITING_FOR_DEPENDENCY),
            given("halting is not gated").desired(desired(spec(s -> s.setActivate(false)))).observed(running(7))
                .journal(booted(spec(), 7, T0)).memory(free(0, 0))
                .expect(new Operation.Shutdown(NAME), DomainPhase.Halting, Conditions.DEACTIVATED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule11_memoryGatesTheBoot(RuleCase c) {
        c.check();
    }

    @Test
    void rule11_theStatusGivesTheFiguresOnceAndTheDomainBootsWhenMemoryFreesUp() {
        Decision short1 = ENGINE.decide(desired(spec()), Optional.empty(), fresh(), List.of(), Dependencies.none(),
            free(700, 300), T0);
        var ready = short1.status().condition(Conditions.READY);
        assertThat(ready.getReason()).isEqualTo(Reasons.INSUFFICIENT_MEMORY);
        assertThat(ready.getMessage()).contains("needs 512 MiB (spec.memoryMiB)").contains("700 MiB free")
            .contains("300 MiB are reserved").contains("400 MiB available");
        assertThat(short1.events()).extracting(DomainEvent::reason).containsExactly(Reasons.INSUFFICIENT_MEMORY);
        assertThat(short1.journal().bootAttempts()).as("waiting for memory is no failed boot").isZero();
        assertThat(short1.status().getNextBootRetryTime()).isNull();

        Decision short2 = ENGINE.decide(withStatus(desired(spec()), short1.status()), Optional.empty(),
            short1.journal(), List.of(), Dependencies.none(), free(700, 300), at(30));
        assertThat(short2.events()).as("announced once").isEmpty();
        assertThat(short2.status()).as("no status write while the figures stay").isEqualTo(short1.status());

        Decision freed = ENGINE.decide(withStatus(desired(spec()), short1.status()), Optional.empty(),
            short2.journal(), List.of(), Dependencies.none(), free(700, 0), at(60));
        assertThat(freed.operation()).isEqualTo(create(spec()).op());
        assertThat(freed.status().getPhase()).isEqualTo(DomainPhase.Booting);
    }

    @Test
    void rule11_aBootRetryWaitIsNotCutShortNorReplacedByTheMemoryWait() {
        Journal failed = failedBoots(1, T0);
        Decision d = ENGINE.decide(desired(spec()), Optional.empty(), failed, List.of(), Dependencies.none(),
            free(0, 0), at(1));
        assertThat(d.status().condition(Conditions.READY).getReason()).isEqualTo(Conditions.BOOT_FAILED);
        Decision due = ENGINE.decide(desired(spec()), Optional.empty(), failed, List.of(), Dependencies.none(),
            free(0, 0), at(10));
        assertThat(due.status().condition(Conditions.READY).getReason()).isEqualTo(Reasons.INSUFFICIENT_MEMORY);
        assertThat(due.journal().bootAttempts()).as("the attempts so far are kept, none added").isEqualTo(1);
    }
}
