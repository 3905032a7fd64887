package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.reconciler.Operation;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a domain's last successful hypervisor call says about it, used in place of the poller's snapshot until a
 * poll that started after the call has answered. A create that returned is itself an observation (the domain exists,
 * paused, as the backend reported it), and so is an unpause that returned (it runs): the next step needs no list.
 *
 * <p>Safe by xenopsd's rule: the create's own report makes the next decision Unpause, never a second create (and a
 * backend refuses a second domain of a name anyway); an older snapshot, taken before the call ended, never overrides
 * it. The first snapshot that started after the call is authoritative again: {@link #settle} drops the provisional
 * view and names the domains whose listing disagrees with it, so a later list still corrects a wrong guess.
 */
final class ProvisionalObservations {
    /** ticket: the first poll sequence number that answers for the call (a poll started after it ended). */
    private record Provisional(String hypervisorName, long ticket, Optional<DomainInfo> domain) {
    }

    private final Map<String, Provisional> byKey = new ConcurrentHashMap<>();

    /**
     * What a successful create or unpause tells about its domain, given the view the decision was made on: empty
     * when it tells nothing certain, and the domain must be listed again before the next decision (a destroy, whose
     * domain may linger dying; an operation whose effect this class does not know).
     *
     * @return the domain as it is now (empty inside: it does not exist), or empty when unknown
     */
    static Optional<Optional<DomainInfo>> after(Operation op, OperationExecutor.Result result, Optional<DomainInfo> before) {
        return switch (op) {
            case Operation.CreatePaused c -> result.created() == null ? Optional.empty() : Optional.of(Optional.of(result.created()));
            case io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage r ->
                result.created() == null ? Optional.empty() : Optional.of(Optional.of(result.created()));
            case Operation.Unpause u -> before.filter(d -> !d.state().hasStopped() && !d.state().dying())
                .map(d -> Optional.of(running(d)));
            default -> Optional.empty();
        };
    }

    /**
     * Operations that change nothing a list shows now: after them the next decision is made on what was seen
     * before, as a list would show it. A shutdown request counts: the guest goes down in its own time, which the
     * polls see, and the engine times it meanwhile.
     */
    static boolean leavesListingAlone(Operation op) {
        return op instanceof Operation.PrepareDisks || op instanceof Operation.AssignAdapters
            || op instanceof Operation.ReleaseAdapters || op instanceof Operation.CleanupDisks
            || op instanceof Operation.Shutdown
            || op instanceof io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage
            || op instanceof io.domainoperator.reconciler.SaveRestoreOperations.SetAsideImage
            || op instanceof io.domainoperator.reconciler.SaveRestoreOperations.RemoveSetAsideImages
            || op instanceof io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
    }

    private static DomainInfo running(DomainInfo d) {
        return new DomainInfo(d.domainId(), d.name(), d.uuid(), DomainState.RUNNING, d.cpuTimeNanos(), d.vcpus(),
            d.memoryBytes(), d.maxMemoryBytes(), d.ours());
    }

    /** The domain as the next decision should see it: the provisional view while no later poll answered, else the snapshot's. */
    Optional<DomainInfo> view(String key, String hypervisorName, HypervisorPoller.Snapshot snapshot) {
        Provisional p = byKey.get(key);
        if (p != null && p.hypervisorName().equals(hypervisorName) && snapshot.sequence() < p.ticket()) {
            return p.domain();
        }
        return snapshot.domain(hypervisorName);
    }

    /** Records what the call that just ended says; {@code ticket} is the next poll's sequence number. */
    void record(String key, String hypervisorName, long ticket, Optional<DomainInfo> domain) {
        byKey.put(key, new Provisional(hypervisorName, ticket, domain));
    }

    /**
     * A poll completed: provisional views it answers go, and the keys whose listing differs from what was assumed
     * are returned, to be decided again on the listing.
     */
    Set<String> settle(HypervisorPoller.Snapshot snapshot) {
        Set<String> disagree = new HashSet<>();
        byKey.forEach((key, p) -> {
            if (snapshot.valid() && snapshot.sequence() >= p.ticket() && byKey.remove(key, p)) {
                Optional<DomainInfo> listed = snapshot.domain(p.hypervisorName());
                if (!sameForDecision(p.domain(), listed)) {
                    disagree.add(key);
                }
            }
        });
        return disagree;
    }

    /** Keys (ns/name) whose last call says their domain exists, though no poll has listed it since. */
    Set<String> existing() {
        Set<String> keys = new HashSet<>();
        byKey.forEach((key, p) -> {
            if (p.domain().isPresent()) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** The DomainConfig is gone. */
    void forget(String key) {
        byKey.remove(key);
    }

    int size() {
        return byKey.size();
    }

    /**
     * Whether a decision could differ between the two: existence, id, uuid and state count, except that a guest
     * alive either way (running or blocked) is the same; vCPU time counts only for a paused domain (zero means
     * half-created, rule 2).
     */
    static boolean sameForDecision(Optional<DomainInfo> a, Optional<DomainInfo> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty();
        }
        DomainInfo x = a.get();
        DomainInfo y = b.get();
        boolean sameState = x.state().equals(y.state()) || (x.state().isAlive() && y.state().isAlive());
        boolean sameCpu = !x.state().paused() || (x.cpuTimeNanos() == 0) == (y.cpuTimeNanos() == 0);
        return x.domainId() == y.domainId() && Objects.equals(x.uuid(), y.uuid()) && sameState && sameCpu;
    }
}
