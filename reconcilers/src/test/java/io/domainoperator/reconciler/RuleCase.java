package io.domainoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One row of a rule table: the situation and the expected answer. {@code toString} is the row's name, so that
 * a parameterized test lists rows by what they mean.
 */
final class RuleCase {
    final String name;
    DesiredDomain desired = Fixtures.desired(Fixtures.spec());
    DomainInfo observed;
    Journal journal = Journal.empty();
    List<AdapterView> adapters = List.of();
    Dependencies deps = Dependencies.none();
    GuestReadiness guest = GuestReadiness.unknown();
    NodeMemory memory = NodeMemory.UNKNOWN;
    Instant now = Fixtures.T0;
    Operation op = new Operation.None();
    DomainPhase phase;
    String reason;
    Duration requeue;

    private RuleCase(String name) {
        this.name = name;
    }

    static RuleCase given(String name) {
        return new RuleCase(name);
    }

    RuleCase desired(DesiredDomain d) {
        this.desired = d;
        return this;
    }

    RuleCase observed(DomainInfo d) {
        this.observed = d;
        return this;
    }

    RuleCase journal(Journal j) {
        this.journal = j;
        return this;
    }

    RuleCase adapters(AdapterView... a) {
        this.adapters = List.of(a);
        return this;
    }

    RuleCase deps(Dependencies d) {
        this.deps = d;
        return this;
    }

    RuleCase guest(GuestReadiness g) {
        this.guest = g;
        return this;
    }

    RuleCase memory(NodeMemory m) {
        this.memory = m;
        return this;
    }

    RuleCase at(Instant t) {
        this.now = t;
        return this;
    }

    RuleCase expect(Operation operation, DomainPhase expectedPhase, String readyReason) {
        this.op = operation;
        this.phase = expectedPhase;
        this.reason = readyReason;
        return this;
    }

    RuleCase requeue(Duration d) {
        this.requeue = d;
        return this;
    }

    Decision decide() {
        return Fixtures.ENGINE.decide(desired, java.util.Optional.ofNullable(observed), journal, adapters, deps, guest,
            memory, now);
    }

    /** Decides and checks operation, phase, Ready reason and (if given) requeue; returns the decision. */
    Decision check() {
        Decision d = decide();
        assertThat(d.operation()).as("%s: operation", name).isEqualTo(op);
        assertThat(d.status().getPhase()).as("%s: phase", name).isEqualTo(phase);
        assertThat(d.status().condition(Conditions.READY).getReason()).as("%s: Ready reason", name).isEqualTo(reason);
        if (requeue != null) {
            assertThat(d.requeueAfter()).as("%s: requeue", name).isEqualTo(requeue);
        }
        if (d.hasOperation()) {
            assertThat(d.requeueAfter()).as("%s: look again right after an operation", name).isZero();
        }
        return d;
    }

    @Override
    public String toString() {
        return name;
    }
}
