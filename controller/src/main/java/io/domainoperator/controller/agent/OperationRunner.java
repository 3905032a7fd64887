package io.domainoperator.controller.agent;

import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.metrics.DomainMetrics;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.DestroyReason;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.Operation;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's operations off the reconcile threads: a hypervisor call that hangs (a wedged {@code xl
 * create}, a QEMU that ignores its monitor) holds only its own domain, never a reconcile thread another domain
 * needs. The intent is journaled on the caller's thread before the call starts, the outcome on the call's
 * thread when it ends, so a process killed anywhere in between asks the engine again with the intent on record.
 *
 * <p>While a domain's call runs its reconciles do not decide ({@link #waitingFor}). When it ends, the domain is
 * decided again at once if the call's own result says what a list would show (a create's report, an unpause that
 * returned: {@link ProvisionalObservations}), or if the call changes nothing a list shows (disks, adapters, a
 * shutdown request). Otherwise (a failure, a destroy) it waits until a hypervisor poll started after the call has
 * been seen: deciding on a snapshot older than the operation's effect would repeat the operation. When no poll
 * answers within {@link #LIST_DEADLINE} (a list hangs), the domain is looked at alone instead.
 */
final class OperationRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    private final OperationExecutor executor;
    private final FileJournalStore<Journal> journals;
    private final HypervisorPoller poller;
    private final DomainMetrics metrics;
    private final Clock clock;
    private final MemoryAdmission memory;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("hypervisor-call-", 0).factory());
    private final Map<String, Waiting> calling = new ConcurrentHashMap<>();
    private final Map<String, Look> looks = new ConcurrentHashMap<>();
    /** How long a domain waits for the poller's answer before it is asked about alone. */
    static final Duration LIST_DEADLINE = Duration.ofSeconds(2);
    private final ProvisionalObservations provisional = new ProvisionalObservations();
    /** Requeues a domain (ns/name) for a reconcile. */
    private final Consumer<String> wake;
    /** The hypervisor asked about one domain alone ({@link io.domainoperator.hypervisor.Hypervisor#look}). */
    private final Function<String, Optional<DomainInfo>> lookAlone;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("look-deadline").daemon().factory());

    /** How long this node's calls and looks took lately, by kind: what a long wait is here. */
    private final RecentDurations durations = new RecentDurations();
    /** The kind under which looks (the first poll after a call) are timed in {@link #durations}. */
    static final String LOOK = "look";

    /**
     * What a domain waits for, and since when: shown in its status when the wait is long ({@link #longAfter}).
     * kind: the operation's, or {@link #LOOK}.
     */
    record Waiting(String what, String kind, Instant since) {
    }

    /** timed: its answer's time is in {@link #durations} already. */
    private record Look(long ticket, Instant since, java.util.concurrent.atomic.AtomicBoolean timed) {
        Look(long ticket, Instant since) {
            this(ticket, since, new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    /**
     * memory: told how each create ended, so a failed one gives its reservation back (rule 11); wake: requeues a
     * domain (ns/name) whose call ended with an answer that needs no list.
     */
    OperationRunner(OperationExecutor executor, FileJournalStore<Journal> journals, HypervisorPoller poller,
                    DomainMetrics metrics, Clock clock, MemoryAdmission memory, Consumer<String> wake,
                    Function<String, Optional<DomainInfo>> lookAlone) {
        this.memory = memory;
        this.wake = wake;
        this.lookAlone = lookAlone;
        this.executor = executor;
        this.journals = journals;
        this.poller = poller;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * What the domain's next decision must wait for: its hypervisor call still running, or the first poll after
     * it. Empty when it may decide now.
     */
    Optional<Waiting> waitingFor(String key, HypervisorPoller.Snapshot snapshot) {
        Waiting call = calling.get(key);
        if (call != null) {
            return Optional.of(call);
        }
        Look look = looks.get(key);
        if (look == null) {
            return Optional.empty();
        }
        if (snapshot.valid() && snapshot.sequence() >= look.ticket()) {
            looks.remove(key, look);
            return Optional.empty();
        }
        Instant since = poller.listingSince().filter(s -> s.isBefore(look.since())).orElse(look.since());
        return Optional.of(new Waiting("the hypervisor's domain list", LOOK, since));
    }

    /**
     * When the wait counts as long enough to show in the domain's status: at least floor, and
     * {@link RecentDurations#LONG_FACTOR} times as long as this node's last calls (or looks) of its kind took.
     */
    Duration longAfter(Waiting waiting, Duration floor) {
        return durations.longAfter(waiting.kind(), floor);
    }

    /**
     * Journals the intent, then starts the call and returns: the outcome is journaled when the call ends, the
     * poller asked for a look at the domain, and its reconcile triggered by that look. {@code timer} is the
     * reconcile's, stopped when the call ends.
     */
    void start(String key, String hypervisorName, Operation op, Journal journal, Timer.Sample timer) {
        Journal withIntent = journal.withIntent(op, clock.instant());
        journals.save(key, withIntent);
        LOG.debug("{}: {} intent journaled; calling", key, op.kind());
        if (op instanceof Operation.CreatePaused) {
            metrics.bootAttempted();
        }
        calling.put(key, new Waiting("the hypervisor call " + op.kind(), op.kind(), clock.instant()));
        try {
            calls.execute(() -> call(key, hypervisorName, op, withIntent, timer));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            calling.remove(key);
            metrics.reconciled(timer, op.kind(), "error");
            throw e;
        }
    }

    /** The domain as its next decision should see it: what its last call said, until a later poll answered. */
    Optional<DomainInfo> view(String key, String hypervisorName, HypervisorPoller.Snapshot snapshot) {
        return provisional.view(key, hypervisorName, snapshot);
    }

    /**
     * DomainConfigs (ns/name) that may have a domain no poll has listed yet: their last call created or unpaused it,
     * or a call (a create among them) is still running. The holder of an adapter counts as active while so: a GPU
     * was given to a second domain while the first one's create was still running, and both ran
     * (HypervisorChaosSmokeTest; {@code AdapterHeldDuringCreateIT}).
     */
    Set<String> provisionallyExisting() {
        Set<String> keys = new java.util.HashSet<>(provisional.existing());
        keys.addAll(calling.keySet());
        return keys;
    }

    /** A poll completed: domains whose listing contradicts what their last call said are decided again. */
    void settle(HypervisorPoller.Snapshot snapshot) {
        provisional.settle(snapshot).forEach(wake);
        if (snapshot.valid()) {
            Instant now = clock.instant();
            looks.values().forEach(look -> {
                if (snapshot.sequence() >= look.ticket() && look.timed().compareAndSet(false, true)) {
                    durations.record(LOOK, Duration.between(look.since(), now));
                }
            });
        }
    }

    private void call(String key, String hypervisorName, Operation op, Journal withIntent, Timer.Sample timer) {
        String result = "error";
        OperationExecutor.Result r = null;
        try {
            Journal after;
            try {
                r = executor.execute(key, op);
                after = withIntent.withSuccess(op, clock.instant(), r.created());
                if (r.image() != null) {
                    after = io.domainoperator.reconciler.SaveImageJournal.checked(after, r.image().sizeBytes(),
                        r.image().sha256());
                }
                LOG.info("{}: {} done", key, op.kind());
                result = "success";
                if (op instanceof Operation.Destroy d && d.reason() == DestroyReason.FORCED) {
                    metrics.shutdownForced();
                }
                if (op instanceof Operation.Destroy d && d.reason().isRestart()) {
                    metrics.domainRestarted(key);
                }
            } catch (RuntimeException e) {
                String error = e.getMessage() == null ? e.toString() : e.getMessage();
                after = withIntent.withFailure(op, error, clock.instant());
                LOG.warn("{}: {} failed: {}", key, op.kind(), error);
                if (op.isBootStep()) {
                    metrics.bootFailed();
                }
                result = "failure";
            }
            if ("success".equals(result) && writtenBehind(op)) {
                journals.saveSoon(key, after);
            } else {
                journals.save(key, after);
            }
        } catch (RuntimeException e) {
            // The journal keeps the intent: the next decision treats the call as interrupted, as after a crash.
            LOG.error("{}: cannot journal the outcome of {}: {}", key, op.kind(), e.getMessage());
            result = "error";
        } finally {
            if (op instanceof Operation.CreatePaused) {
                memory.created(key, "success".equals(result));
            }
            ended(key, hypervisorName, op, "success".equals(result) ? r : null);
            metrics.reconciled(timer, op.kind(), result);
        }
    }

    /**
     * A boot step's success: its outcome need not be on disk before the domain is decided again, as the next intent
     * (the unpause after a create) carries it, and until then a crash reads as one during the call
     * ({@link FileJournalStore#saveSoon}). A failure is written at once: it counts towards the boot retry's backoff.
     */
    private static boolean writtenBehind(Operation op) {
        return op instanceof Operation.CreatePaused || op instanceof Operation.Unpause;
    }

    /**
     * In this order in each case: whatever the next reconcile sees (however soon it runs) is set before the call
     * stops counting as running. result: null unless the call succeeded and its outcome was journaled.
     */
    private void ended(String key, String hypervisorName, Operation op, OperationExecutor.Result result) {
        Waiting call = calling.get(key);
        if (call != null) {
            durations.record(call.kind(), Duration.between(call.since(), clock.instant()));
        }
        Optional<Optional<DomainInfo>> known = result == null ? Optional.empty()
            : ProvisionalObservations.after(op, result, provisional.view(key, hypervisorName, poller.snapshot()));
        if (known.isPresent()) {
            provisional.record(key, hypervisorName, poller.nextSequence(), known.get());
            calling.remove(key);
            wake.accept(key);
        } else if (result != null && ProvisionalObservations.leavesListingAlone(op)) {
            calling.remove(key);
            wake.accept(key);
            if (op instanceof Operation.Shutdown) {
                poller.requestLook(hypervisorName); // a guest quick to go down is seen at once, not a poll interval later
            }
        } else {
            Look look = new Look(poller.nextSequence(), clock.instant());
            looks.put(key, look);
            calling.remove(key);
            poller.requestLook(hypervisorName);
            try {
                deadlines.schedule(() -> lookAloneIfUnanswered(key, hypervisorName, look), LIST_DEADLINE.toMillis(),
                    TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /**
     * A look the poller has not answered within {@link #LIST_DEADLINE} (its list hangs, or one before it does): the
     * domain is asked about alone, on a thread of its own, so a list stuck on one domain holds no other. Its answer
     * stands in for the list's until a poll started after it answers (a list older than it never overrides it).
     */
    private void lookAloneIfUnanswered(String key, String hypervisorName, Look look) {
        if (looks.get(key) != look) {
            return;
        }
        LOG.info("{}: no hypervisor list answered in {} s; asking about {} alone", key, LIST_DEADLINE.toSeconds(), hypervisorName);
        try {
            calls.execute(() -> {
                long ticket = poller.nextSequence();
                Optional<DomainInfo> seen;
                try {
                    seen = lookAlone.apply(hypervisorName);
                } catch (RuntimeException e) {
                    LOG.warn("{}: looking at {} alone failed: {}; waiting for the list", key, hypervisorName, e.getMessage());
                    return;
                }
                if (looks.remove(key, look)) {
                    provisional.record(key, hypervisorName, ticket, seen);
                    wake.accept(key);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** The DomainConfig is gone: nothing of it is waited for. */
    void forget(String key) {
        looks.remove(key);
        provisional.forget(key);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        calls.shutdownNow();
    }
}
