package io.domainoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.MigrationProgress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The convergence property for live migration: the two agents' {@link MigrationDecider} and a minimal controller
 * driven in random order over a model of two QEMU nodes and an API object with optimistic concurrency, through
 * random faults (an agent killed between its operation and its status write, a decision on a stale read, the
 * target's QEMU dying, the copy failing). On every step the guest runs on at most one node, the target never runs
 * before the hand-over is on record and the source never runs after it. Once the faults stop, the migration ends
 * (Succeeded or Failed) within a bounded number of steps with exactly one copy left, running where the status says
 * (or, when the target died after the hand-over, none, and the status saying its DomainConfig boots it there).
 */
class MigrationConvergenceProperties {
    static final String A = "node-a";
    static final String B = "node-b";
    static final MigrationDecider ENGINE = new MigrationDecider(Knobs.defaults());

    enum Actor { SOURCE, TARGET, CONTROLLER, COPY }

    enum Fault { NONE, KILL_AFTER_OPERATION, STALE_READ, TARGET_QEMU_DIES, COPY_FAILS, TARGET_HANGS }

    /** Tight enough that a hung copy ends within the 200 fair steps (each decision is a second later). */
    static final CopyDeadlines DEADLINES = new CopyDeadlines(java.time.Duration.ofSeconds(80), java.time.Duration.ofSeconds(5));

    record Step(Actor actor, Fault fault) {
    }

    /** One QEMU: paused or running, and its migration's state. */
    static final class Qemu {
        boolean running;
        boolean incoming;
        boolean loaded;
        /** A target that stopped taking bytes (its QEMU SIGSTOPped): a copy to it never completes by itself. */
        boolean hung;
        MigrationProgress.State copy = MigrationProgress.State.NONE;

        DomainInfo info() {
            return new DomainInfo(1, "vm1", Fixtures.UUID_VALUE, running ? DomainState.RUNNING : DomainState.PAUSED,
                running || loaded ? 1000 : 0, 1, 1L << 27, 1L << 27, true);
        }
    }

    final Map<String, Qemu> nodes = new HashMap<>();
    DomainMigrationStatus status;
    /** The source agent's watch of its copy; lost when the agent is killed. */
    CopyWatch watch;
    long version;
    long at;

    @Property(tries = 1500)
    void endsWithOneCopyWhereTheStatusSaysAndNeverRunsTwice(@ForAll("chaos") List<Step> chaos) {
        nodes.clear(); // jqwik keeps one instance for all tries of a property
        version = 0;
        watch = null;
        Qemu source = new Qemu();
        source.running = true;
        nodes.put(A, source);
        status = MigrationRulesTest.status(MigrationPhase.Scheduling, false, false);
        DomainMigrationStatus[] stale = {status};
        for (Step step : chaos) {
            DomainMigrationStatus read = step.fault() == Fault.STALE_READ ? stale[0] : status;
            stale[0] = status;
            run(step.actor(), step.fault(), read);
            checkSafety();
        }
        Actor[] fair = Actor.values();
        for (int i = 0; i < 200 && !settled(); i++) {
            run(fair[i % fair.length], Fault.NONE, status);
            checkSafety();
        }
        assertThat(settled()).as("settled within 200 fair steps: %s, nodes %s", status, nodes.keySet()).isTrue();
        if (status.getPhase() == MigrationPhase.Succeeded) {
            assertThat(nodes.keySet()).containsExactly(B);
            assertThat(nodes.get(B).running).isTrue();
        } else if (status.getHandoverTime() == null) {
            assertThat(nodes.keySet()).as("failed before the hand-over: only the source's copy").containsExactly(A);
            assertThat(nodes.get(A).running).isTrue();
        } else {
            assertThat(nodes).as("failed after the hand-over: never the source's copy").doesNotContainKey(A);
            assertThat(status.condition("Complete").getMessage()).contains("boots it again");
        }
    }

    private boolean settled() {
        if (!status.getPhase().terminal()) {
            return false;
        }
        for (String node : List.of(A, B)) {
            if (decide(node, status).hasOperation()) {
                return false;
            }
        }
        return true;
    }

    private MigrationDecision decide(String node, DomainMigrationStatus read) {
        Qemu q = nodes.get(node);
        // While copying, the remainder stays put: only a completed copy moves on (progressCopy), so a copy that is not
        // completed in time is stalled in the watch's eyes, as a hung target's is.
        MigrationProgress progress = q == null ? MigrationProgress.NONE : new MigrationProgress(q.copy, 100, 5,
            q.copy == MigrationProgress.State.FAILED ? "broken pipe" : null, 4096, 1L << 20);
        var now = Fixtures.at(at++);
        if (node.equals(A)) {
            watch = progress.state() == MigrationProgress.State.ACTIVE ? CopyWatch.next(watch, progress, now) : null;
        }
        return ENGINE.decide(new MigrationInput(node, read, Fixtures.spec(), q == null ? null : q.info(), progress,
            "127.0.0.1", 49152, now, DEADLINES, node.equals(A) ? watch : null));
    }

    private void run(Actor actor, Fault fault, DomainMigrationStatus read) {
        long readVersion = read == status ? version : version - 1;
        switch (actor) {
            case SOURCE, TARGET -> {
                MigrationDecision d = decide(actor == Actor.SOURCE ? A : B, read);
                DomainMigrationStatus write = d.status();
                if (d.hasOperation()) {
                    try {
                        perform(actor == Actor.SOURCE ? A : B, d.operation());
                    } catch (IllegalStateException refused) {
                        write = d.statusAfterFailure(read, refused.getMessage(), Fixtures.at(at));
                    }
                    if (fault == Fault.KILL_AFTER_OPERATION) {
                        if (actor == Actor.SOURCE) {
                            watch = null;
                        }
                        return;
                    }
                }
                if (write != null && readVersion == version) {
                    status = write;
                    version++;
                }
            }
            case CONTROLLER -> {
                if (status.getTargetResumedTime() != null && !status.getPhase().terminal()) {
                    status = MigrationStatusEdit.phase(status, MigrationPhase.Succeeded);
                    version++;
                }
            }
            case COPY -> progressCopy(fault);
        }
        if (fault == Fault.TARGET_HANGS && nodes.containsKey(B)) {
            nodes.get(B).hung = true;
        }
        // Only a copy that never ran: a running guest's crash is the DomainConfig engine's (rule 3), not the migration's.
        if (fault == Fault.TARGET_QEMU_DIES && nodes.containsKey(B) && !nodes.get(B).running) {
            nodes.remove(B);
            Qemu src = nodes.get(A);
            if (src != null && src.copy == MigrationProgress.State.ACTIVE) {
                src.copy = MigrationProgress.State.FAILED;
                src.running = true;
            }
        }
    }

    /** The hypervisors' own work: the copy advances or fails on its own, whatever the agents do. */
    private void progressCopy(Fault fault) {
        Qemu src = nodes.get(A);
        Qemu dst = nodes.get(B);
        if (src == null || src.copy != MigrationProgress.State.ACTIVE) {
            return;
        }
        if (dst != null && dst.hung && fault != Fault.COPY_FAILS) {
            return; // the bytes stop in the hung target's socket: the copy neither completes nor fails
        }
        if (fault == Fault.COPY_FAILS || dst == null) {
            src.copy = MigrationProgress.State.FAILED;
            src.running = true;
        } else {
            src.copy = MigrationProgress.State.COMPLETED;
            src.running = false;
            dst.loaded = true;
        }
    }

    private void perform(String node, Operation op) {
        Qemu q = nodes.get(node);
        switch (op) {
            case MigrationOperations.PrepareIncoming p -> {
                if (q != null) {
                    throw new IllegalStateException("a domain named vm1 exists");
                }
                Qemu in = new Qemu();
                in.incoming = true;
                nodes.put(node, in);
            }
            case MigrationOperations.MigrateOut m -> {
                if (nodes.get(B) == null) {
                    throw new IllegalStateException("connection refused");
                }
                q.copy = MigrationProgress.State.ACTIVE;
            }
            case MigrationOperations.ResumeIncoming r -> {
                if (!q.loaded) {
                    throw new IllegalStateException("migration is not finished");
                }
                q.running = true;
                q.incoming = false;
            }
            case MigrationOperations.CancelMigration c -> {
                q.copy = MigrationProgress.State.FAILED;
                q.running = true;
            }
            case MigrationOperations.ResumeSource r -> q.running = true;
            case MigrationOperations.DestroyCopy d -> nodes.remove(node);
            default -> throw new AssertionError("not a migration step: " + op);
        }
    }

    private void checkSafety() {
        Qemu a = nodes.get(A);
        Qemu b = nodes.get(B);
        assertThat(a != null && a.running && b != null && b.running).as("the guest runs on both nodes: %s", status).isFalse();
        if (b != null && b.running) {
            assertThat(status.getHandoverTime()).as("the target runs before the hand-over").isNotNull();
        }
        if (a != null && a.running) {
            assertThat(status.getHandoverTime()).as("the source runs after the hand-over").isNull();
        }
    }

    @Provide
    Arbitrary<List<Step>> chaos() {
        Arbitrary<Fault> faults = Arbitraries.frequency(
            net.jqwik.api.Tuple.of(12, Fault.NONE), net.jqwik.api.Tuple.of(2, Fault.KILL_AFTER_OPERATION),
            net.jqwik.api.Tuple.of(2, Fault.STALE_READ), net.jqwik.api.Tuple.of(1, Fault.TARGET_QEMU_DIES),
            net.jqwik.api.Tuple.of(1, Fault.COPY_FAILS),
            net.jqwik.api.Tuple.of(1, Fault.TARGET_HANGS));
        return net.jqwik.api.Combinators.combine(Arbitraries.of(Actor.class), faults).as(Step::new)
            .list().ofMinSize(0).ofMaxSize(40);
    }
}
