package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.reconciler.NodeMemory;
import java.util.HashMap;
import java.util.Map;

/**
 * Memory promised to domains this agent is creating but the hypervisor does not count yet (rule 11's
 * "reserved"). Domains reconcile in parallel: without the ledger two domains could both see the same free
 * memory and both be created into it. A reservation is taken atomically with the admission test
 * ({@link #tryReserve}) just before {@code CreatePaused}, dropped when the create fails, and stops counting once a
 * poll lists the domain (the free figure of that poll includes it: the poller lists domains before it asks for
 * the host's memory, so a domain created in between is counted twice, never not at all).
 *
 * <p>Only map updates happen under the lock; no hypervisor call is made while holding it.
 */
final class MemoryLedger {
    private record Reservation(String domainName, long bytes) {
    }

    private final Map<String, Reservation> byKey = new HashMap<>();

    /** The node's memory as {@code key} sees it in this snapshot: other domains' reservations count, its own not. */
    synchronized NodeMemory view(String key, HypervisorPoller.Snapshot snapshot) {
        HostInfo host = snapshot.host();
        if (host == null || !snapshot.valid()) {
            return NodeMemory.UNKNOWN;
        }
        long reserved = 0;
        for (Map.Entry<String, Reservation> e : byKey.entrySet()) {
            if (!e.getKey().equals(key) && !snapshot.domains().containsKey(e.getValue().domainName())) {
                reserved += e.getValue().bytes();
            }
        }
        return NodeMemory.of(host.freeMemoryBytes(), reserved);
    }

    /**
     * Reserves {@code bytes} for {@code key}'s domain if it fits in this snapshot's view; otherwise returns the view
     * that refused it (the engine, asked again with it, says Pending).
     */
    synchronized Admission tryReserve(String key, String domainName, long bytes, HypervisorPoller.Snapshot snapshot) {
        NodeMemory view = view(key, snapshot);
        if (!view.fits(bytes)) {
            return new Admission(false, view);
        }
        byKey.put(key, new Reservation(domainName, bytes));
        return new Admission(true, view);
    }

    /** The create failed (nothing was allocated) or the DomainConfig is gone: the reservation goes. */
    synchronized void release(String key) {
        byKey.remove(key);
    }

    /** Drops reservations of domains the snapshot lists: their memory is in its free figure now. */
    synchronized void settle(HypervisorPoller.Snapshot snapshot) {
        byKey.values().removeIf(r -> snapshot.domains().containsKey(r.domainName()));
    }

    /** Total bytes reserved, for the metrics. */
    synchronized long reservedBytes() {
        return byKey.values().stream().mapToLong(Reservation::bytes).sum();
    }

    record Admission(boolean admitted, NodeMemory view) {
    }
}
