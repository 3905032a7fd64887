package io.domainoperator.controller.agent;

import io.domainoperator.reconciler.Decision;
import io.domainoperator.reconciler.NodeMemory;
import io.domainoperator.reconciler.Operation;
import java.util.function.Function;

/**
 * Rule 11 on a node where many domains reconcile at once: the engine decides with the node's memory as the
 * last poll saw it minus other domains' reservations, and a {@code CreatePaused} it asks for goes ahead only once
 * its memory is reserved in the {@link MemoryLedger}. A domain that lost the race to another one is decided again
 * with the figures that refused it, so its status says Pending, InsufficientMemory, like any other that does not
 * fit, and no create is attempted.
 */
final class MemoryAdmission {
    private final MemoryLedger ledger = new MemoryLedger();
    private final HypervisorPoller poller;

    MemoryAdmission(HypervisorPoller poller) {
        this.poller = poller;
    }

    /** The engine's decision for {@code key}, given the node's memory; a create holds its reservation. */
    Decision decide(String key, Function<NodeMemory, Decision> engine) {
        HypervisorPoller.Snapshot snapshot = poller.snapshot();
        Decision d = engine.apply(ledger.view(key, snapshot));
        if (!(d.operation() instanceof Operation.CreatePaused create)) {
            return d;
        }
        MemoryLedger.Admission a = ledger.tryReserve(key, create.name(), NodeMemory.neededBytes(create.spec()),
            snapshot);
        return a.admitted() ? d : engine.apply(a.view());
    }

    /** After the create: a failed one allocated nothing (a half-created shell is listed, so counted by the poll). */
    void created(String key, boolean succeeded) {
        if (!succeeded) {
            ledger.release(key);
        }
    }

    /** The DomainConfig is gone. */
    void forget(String key) {
        ledger.release(key);
    }

    /** Each poll: reservations of domains it lists are in its free figure now. */
    void settle(HypervisorPoller.Snapshot snapshot) {
        ledger.settle(snapshot);
    }

    long reservedBytes() {
        return ledger.reservedBytes();
    }
}
