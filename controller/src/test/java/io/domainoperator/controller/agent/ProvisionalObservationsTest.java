package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.reconciler.DestroyReason;
import io.domainoperator.reconciler.Operation;
import io.domainoperator.testing.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A call's own result stands in for a list until a poll started after the call answers; that poll corrects it. */
class ProvisionalObservationsTest {
    private static final UUID ID = UUID.nameUUIDFromBytes("vm".getBytes());
    private static final DomainInfo PAUSED = new DomainInfo(7, "vm", ID, DomainState.PAUSED, 0, 1, 64, 64, true);

    private static HypervisorPoller.Snapshot snapshot(long sequence, DomainInfo... domains) {
        Map<String, DomainInfo> byName = new java.util.HashMap<>();
        for (DomainInfo d : domains) {
            byName.put(d.name(), d);
        }
        return new HypervisorPoller.Snapshot(Map.copyOf(byName), null, true, sequence);
    }

    private static Operation.CreatePaused create() {
        return new Operation.CreatePaused("vm", ID.toString(), Specs.minimal("vm", 1, 64, s -> { }), List.of());
    }

    @Test
    void aCreatesReportIsTheViewUntilAPollStartedAfterItAnswers() {
        ProvisionalObservations p = new ProvisionalObservations();
        Optional<Optional<DomainInfo>> known = ProvisionalObservations.after(create(), new OperationExecutor.Result(PAUSED),
            Optional.empty());
        assertThat(known).contains(Optional.of(PAUSED));
        p.record("ns/vm", "vm", 5, known.get());

        assertThat(p.view("ns/vm", "vm", snapshot(4))).as("a poll that started before the create ended").contains(PAUSED);
        DomainInfo running = new DomainInfo(7, "vm", ID, DomainState.RUNNING, 10, 1, 64, 64, true);
        assertThat(p.view("ns/vm", "vm", snapshot(5, running))).as("the first poll after it is authoritative").contains(running);
        assertThat(p.view("ns/vm", "other", snapshot(4))).as("another name is not this call's").isEmpty();
        assertThat(p.existing()).as("a created domain holds its adapters before a poll lists it").containsExactly("ns/vm");
    }

    @Test
    void anUnpauseThatReturnedMeansRunningAndAFailureOrDestroyMeansLookAgain() {
        assertThat(ProvisionalObservations.after(new Operation.Unpause("vm"), new OperationExecutor.Result(null), Optional.of(PAUSED)))
            .hasValueSatisfying(d -> assertThat(d).hasValueSatisfying(i -> {
                assertThat(i.state().isAlive()).isTrue();
                assertThat(i.domainId()).isEqualTo(7);
            }));
        assertThat(ProvisionalObservations.after(new Operation.Unpause("vm"), new OperationExecutor.Result(null), Optional.empty()))
            .as("unpaused a domain not seen: unknown").isEmpty();
        DomainInfo crashed = new DomainInfo(7, "vm", ID, DomainState.shutdown(ShutdownReason.CRASH), 5, 1, 64, 64, true);
        assertThat(ProvisionalObservations.after(new Operation.Unpause("vm"), new OperationExecutor.Result(null), Optional.of(crashed)))
            .as("a stopped domain does not run because unpause returned").isEmpty();
        assertThat(ProvisionalObservations.after(new Operation.Destroy("vm", DestroyReason.FORCED), new OperationExecutor.Result(null),
            Optional.of(PAUSED))).as("a destroyed domain may linger dying: list it").isEmpty();
        assertThat(ProvisionalObservations.after(create(), new OperationExecutor.Result(null), Optional.empty()))
            .as("a create that reported nothing").isEmpty();
        assertThat(ProvisionalObservations.leavesListingAlone(new Operation.AssignAdapters(List.of("nic")))).isTrue();
        assertThat(ProvisionalObservations.leavesListingAlone(new Operation.Destroy("vm", DestroyReason.FORCED))).isFalse();
    }

    @Test
    void settlingNamesOnlyDomainsWhoseListingContradictsTheirCall() {
        ProvisionalObservations p = new ProvisionalObservations();
        p.record("ns/agrees", "agrees", 3, Optional.of(named("agrees", DomainState.RUNNING, 0)));
        p.record("ns/crashed", "crashed", 3, Optional.of(named("crashed", DomainState.RUNNING, 0)));
        p.record("ns/vanished", "vanished", 3, Optional.of(named("vanished", DomainState.PAUSED, 0)));
        p.record("ns/later", "later", 9, Optional.of(named("later", DomainState.PAUSED, 0)));

        var listing = snapshot(3, named("agrees", DomainState.BLOCKED, 500),
            named("crashed", DomainState.shutdown(ShutdownReason.CRASH), 500), named("later", DomainState.PAUSED, 0));
        assertThat(p.settle(listing)).containsExactlyInAnyOrder("ns/crashed", "ns/vanished");
        assertThat(p.size()).as("only the call no poll answered yet is still provisional").isEqualTo(1);
        assertThat(p.settle(snapshot(4))).isEmpty();
    }

    private static DomainInfo named(String name, DomainState state, long cpu) {
        return new DomainInfo(3, name, UUID.nameUUIDFromBytes(name.getBytes()), state, cpu, 1, 64, 64, true);
    }
}
