package io.domainoperator.bench;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the API server accepted in the benchmark's namespace, counted from watches: every ADDED or MODIFIED
 * Event and Lease (the agent's node heartbeat lives in this namespace too). DomainConfig writes come from the
 * {@link DomainWatch}. A watch sees accepted writes only: a write refused with a conflict does not show.
 */
public final class ApiWriteCounter implements AutoCloseable {
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong leases = new AtomicLong();
    private final Watch eventWatch;
    private final Watch leaseWatch;

    public ApiWriteCounter(BenchCluster cluster) {
        eventWatch = cluster.client().v1().events().inNamespace(cluster.namespace()).watch(counting(events));
        leaseWatch = cluster.client().resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace(cluster.namespace()).watch(counting(leases));
    }

    private static <T> Watcher<T> counting(AtomicLong n) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    n.incrementAndGet();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                System.err.println("bench: a counting watch closed: " + cause.getMessage());
            }
        };
    }

    public long events() {
        return events.get();
    }

    public long leases() {
        return leases.get();
    }

    @Override
    public void close() {
        eventWatch.close();
        leaseWatch.close();
    }
}
