package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Holds a guest a live migration resumed on this node (the status's {@code targetResumedTime}) until the hypervisor
 * poller has listed it since. Until then the DomainConfig loop's snapshot may predate the resume: it shows the arrived
 * guest paused with no CPU time spent here, which rule 2 reads as half-created, and the loop destroyed the guest that
 * had just arrived to boot it again (LiveMigrationE2E under load, MigrationCrashE2E). Read from the status rather than
 * remembered at the resume, so an agent restarted after the resume holds the guest too.
 */
final class ResumedArrivalHold {
    /** Asks the poller for a look at a hypervisor name; answers the sequence number of the first poll that answers. */
    private final ToLongFunction<String> requestLook;
    /** The sequence number of the poller's latest snapshot. */
    private final LongSupplier latestSnapshot;
    private static final long ANSWERED = Long.MIN_VALUE;
    /** Per migration (uid) resumed here: the first poll that sees the guest resumed. */
    private final Map<String, Long> ticketByMigration = new ConcurrentHashMap<>();

    ResumedArrivalHold(HypervisorPoller poller) {
        this(poller::requestLook, () -> poller.snapshot().sequence());
    }

    ResumedArrivalHold(ToLongFunction<String> requestLook, LongSupplier latestSnapshot) {
        this.requestLook = requestLook;
        this.latestSnapshot = latestSnapshot;
    }

    /** Whether the DomainConfig loop must still wait before deciding on the guest of migration {@code uid}. */
    boolean holds(String node, String uid, DomainMigrationStatus st) {
        if (!node.equals(st.getTargetNode()) || st.getTargetResumedTime() == null) {
            return false;
        }
        long ticket = ticketByMigration.computeIfAbsent(uid, u -> requestLook.applyAsLong(st.getDomainName()));
        if (latestSnapshot.getAsLong() < ticket) {
            return true;
        }
        ticketByMigration.put(uid, ANSWERED); // released for good
        return false;
    }

    /** Forgets migrations no longer listed (deleted): their guests were polled long ago. */
    void retain(Set<String> uids) {
        ticketByMigration.keySet().retainAll(uids);
    }
}
