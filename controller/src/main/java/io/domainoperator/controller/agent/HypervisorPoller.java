package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * xenopsd's "this domain needs attention" signal, and the only caller of {@link Hypervisor#listDomains()}: one
 * batched list per poll interval, compared with the previous one; every domain whose state, id or existence
 * changed is reported to the listener (which requeues its DomainConfig). Reconcilers read the latest snapshot
 * instead of calling the hypervisor themselves.
 *
 * <p>After an operation a reconciler asks for a look ({@link #requestLook}) and returns at once: it does not wait
 * for the list. Requests are coalesced: all polls run on one thread (at most one list in flight), a requested poll
 * starts no sooner than {@code minGap} after the previous one started (at most one per gap whatever the load),
 * and when it completes every domain that asked before it started is reported, changed or not.
 */
public final class HypervisorPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HypervisorPoller.class);
    /** The shortest time between the starts of two requested polls. */
    public static final Duration DEFAULT_MIN_GAP = Duration.ofMillis(20);
    private final Hypervisor hypervisor;
    private final Consumer<Set<String>> onChanged;
    private final Consumer<Snapshot> onSnapshot;
    private final Duration minGap;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("hypervisor-poller").daemon().factory());
    /** Hypervisor name to the first poll sequence number that answers its request. */
    private final Map<String, Long> lookRequests = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicBoolean requestedPollScheduled = new AtomicBoolean();
    private volatile long lastStartNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private volatile Instant listingSince;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null, false, 0);
    private ScheduledFuture<?> task;

    /**
     * One poll's result: domains by name, the host, whether the poll succeeded, and its sequence number (polls
     * are numbered in the order they start; a request made before poll n started is answered by snapshot n).
     */
    public record Snapshot(Map<String, DomainInfo> domains, HostInfo host, boolean valid, long sequence) {
        public Optional<DomainInfo> domain(String name) {
            return Optional.ofNullable(domains.get(name));
        }
    }

    public HypervisorPoller(Hypervisor hypervisor, Consumer<Set<String>> onChanged, Consumer<Snapshot> onSnapshot) {
        this(hypervisor, onChanged, onSnapshot, DEFAULT_MIN_GAP, Clock.systemUTC());
    }

    public HypervisorPoller(Hypervisor hypervisor, Consumer<Set<String>> onChanged, Consumer<Snapshot> onSnapshot,
                            Duration minGap, Clock clock) {
        this.hypervisor = hypervisor;
        this.onChanged = onChanged;
        this.onSnapshot = onSnapshot;
        this.minGap = minGap;
        this.clock = clock;
    }

    /** Polls once (the caller waits for that first snapshot), then every interval. */
    public synchronized void start(Duration interval) {
        if (task != null) {
            task.cancel(false);
        }
        try {
            timer.submit(this::poll).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        task = timer.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Asks for a fresh look at the named domain, without waiting: a poll that starts after this call reports the
     * name to the listener when it completes. Returns the sequence number of the first snapshot that answers.
     */
    public long requestLook(String hypervisorName) {
        long ticket = nextSequence();
        lookRequests.merge(hypervisorName, ticket, Math::max); // the latest request is the one its reconcile waits for
        if (requestedPollScheduled.compareAndSet(false, true)) {
            long wait = Math.max(0, lastStartNanos + minGap.toNanos() - System.nanoTime());
            try {
                timer.schedule(() -> {
                    requestedPollScheduled.set(false);
                    pollQuietly();
                }, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                requestedPollScheduled.set(false); // closed: nobody will read the answer
            }
        }
        return ticket;
    }

    /** The sequence number of the next poll to start: its snapshot is the first to see anything done before now. */
    public long nextSequence() {
        return started.get() + 1;
    }

    /** When the list in flight started, if one is in flight: what a domain waiting for a look waits for. */
    public Optional<Instant> listingSince() {
        return Optional.ofNullable(listingSince);
    }

    /** Lists made since start: a measure of the load the agent puts on the hypervisor. */
    public long listCount() {
        return lists.get();
    }

    /** One poll, always on the poller's thread: list, diff, notify. */
    private void poll() {
        long sequence = started.incrementAndGet();
        lastStartNanos = System.nanoTime();
        listingSince = clock.instant();
        Snapshot previous = snapshot;
        List<DomainInfo> list;
        HostInfo host;
        try {
            lists.incrementAndGet();
            list = hypervisor.listDomains();
            try {
                host = hypervisor.hostInfo();
            } catch (RuntimeException e) {
                host = previous.host();
            }
        } finally {
            listingSince = null;
        }
        Map<String, DomainInfo> byName = HashMap.newHashMap(list.size());
        for (DomainInfo d : list) {
            byName.put(d.name(), d);
        }
        Snapshot next = new Snapshot(Map.copyOf(byName), host, true, sequence);
        snapshot = next;
        Set<String> changed = changedNames(previous.domains(), next.domains());
        lookRequests.forEach((name, ticket) -> {
            if (ticket <= sequence && lookRequests.remove(name, ticket)) {
                changed.add(name);
            }
        });
        onSnapshot.accept(next);
        if (!changed.isEmpty()) {
            onChanged.accept(changed);
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("hypervisor poll failed: {}", e.getMessage());
        }
    }

    /** Names that appeared, vanished, or changed id, uuid or state. vCPU time and memory alone are no news. */
    static Set<String> changedNames(Map<String, DomainInfo> before, Map<String, DomainInfo> after) {
        Set<String> changed = new HashSet<>();
        after.forEach((n, b) -> {
            DomainInfo a = before.get(n);
            if (a == null || a.domainId() != b.domainId() || !Objects.equals(a.uuid(), b.uuid())
                || !a.state().equals(b.state()) || (a.cpuTimeNanos() == 0) != (b.cpuTimeNanos() == 0)) {
                changed.add(n);
            }
        });
        before.keySet().forEach(n -> {
            if (!after.containsKey(n)) {
                changed.add(n);
            }
        });
        return changed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
