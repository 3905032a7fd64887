package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.controller.crash.CrashPoint;
import io.domainoperator.controller.crash.CrashSwitch;
import io.domainoperator.reconciler.DomainEvent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes DomainConfig statuses off the reconcile threads, so a slow, stopped or failing API server delays no
 * decision and no hypervisor operation: a guest that crashes while the server is SIGSTOPped is rebuilt at once,
 * and its status follows when the server answers again.
 *
 * <p>One writer per DomainConfig at a time, latest status wins: a status decided while an earlier write is still
 * on its way replaces the one waiting behind it. Until the server holds what was decided, the next decision starts
 * from it ({@link #freshest}), not from the informer's older copy: deciding on the old status would derive the same
 * transitions, and their events, twice. Writes are locked to a resourceVersion; a write decided on a version our own
 * earlier write replaced goes on from the version that write produced. A conflict (someone else changed the object)
 * drops what waits and asks for a fresh decision; other failures (timeouts, 5xx) are tried again. Events are recorded
 * once the status that carries them lands, each reason once however many writes were superseded or refused.
 *
 * <p>The agent's finalizer goes the same way ({@link #ensureFinalizer}): queued by the pass that starts a boot, written
 * ahead of that pass's status while the hypervisor call runs, locked to the version like a status write, so a create
 * never waits for it and the version chain stays ours (see {@link FinalizerWrite}).
 */
final class StatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    private static final Duration RETRY_MIN = Duration.ofMillis(500);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    /** The status subresource: replaces the status, locked to the object's resourceVersion; returns the stored object. */
    interface Api {
        DomainConfig replaceStatus(DomainConfig withStatus);
    }

    /** What the writer tells the agent: a write landed or conflicted, and events to record. */
    interface Listener {
        void written();

        void conflicted(ResourceID id);

        /** Decide again on the informer's copy: a decision was made on a stand-in for it (see FinalizerWrite). */
        default void decideAgain(ResourceID id) {
        }
    }

    private final Api api;
    private final FinalizerWrite.Api finalizers;
    private final BiConsumer<DomainConfig, List<DomainEvent>> recordEvents;
    private final Listener listener;
    private final Map<ResourceID, StatusSlot> slots = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("status-writer-", 0).factory());

    StatusWriter(Api api, BiConsumer<DomainConfig, List<DomainEvent>> recordEvents, Listener listener) {
        this(api, FinalizerWrite.NONE, recordEvents, listener);
    }

    StatusWriter(Api api, FinalizerWrite.Api finalizers, BiConsumer<DomainConfig, List<DomainEvent>> recordEvents,
                 Listener listener) {
        this.api = api;
        this.finalizers = finalizers;
        this.recordEvents = recordEvents;
        this.listener = listener;
    }

    /**
     * The informer's copy, or the status decided last when the informer shows a version that decision supersedes (the
     * one it was decided on, or one our own writes produced since). Any other version is newer than anything we
     * wrote, and wins.
     */
    DomainConfig freshest(DomainConfig cached) {
        StatusSlot slot = slots.get(ResourceID.fromResource(cached));
        if (slot == null) {
            return cached;
        }
        synchronized (slot) {
            if (slot.latest != null && slot.chain.contains(cached.getMetadata().getResourceVersion())) {
                // Kept after the informer moved past them: a pass queued before that may still hold one.
                return slot.latest;
            }
            if (slot.latest != null && slot.finalizer.mayHaveMade(cached)) {
                return slot.latest;
            }
            if (!slot.writing) {
                slot.latest = null;
                slot.forgetChain();
            }
            return cached;
        }
    }

    /**
     * The outcome of one decision made on {@code decidedOn}: a changed status is queued for writing; the events are
     * recorded once the status that carries them lands (at once when nothing is waiting to be written).
     */
    void report(DomainConfig decidedOn, DomainConfigStatus status, boolean changed, List<DomainEvent> events) {
        ResourceID id = ResourceID.fromResource(decidedOn);
        StatusSlot slot = slots.computeIfAbsent(id, k -> new StatusSlot());
        synchronized (slot) {
            if (!changed) {
                StatusSlot.Write waiting = slot.next != null ? slot.next : slot.inFlight;
                if (waiting != null) {
                    waiting.addEvents(events);
                    return;
                }
                List<DomainEvent> now = new ArrayList<>(slot.carried);
                slot.carried.clear();
                StatusSlot.merge(now, events);
                if (!now.isEmpty()) {
                    recordEvents.accept(decidedOn, now);
                }
                return;
            }
            DomainConfig object = StatusCopies.withStatus(decidedOn, status);
            StatusSlot.Write write = new StatusSlot.Write(object, slot.carried);
            slot.carried.clear();
            if (slot.next != null) {
                write.addEvents(slot.next.events);
            }
            write.addEvents(events);
            slot.next = write;
            slot.latest = object;
            slot.startChain(decidedOn.getMetadata().getResourceVersion());
            startDrain(id, slot);
        }
    }

    /**
     * Adds the agent's finalizer to {@code decidedOn} unless it holds it, is being deleted, or the addition is queued
     * or landed already: written before any status queued after it, off the caller's thread.
     */
    void ensureFinalizer(DomainConfig decidedOn) {
        if (!FinalizerWrite.wanted(decidedOn)) {
            return;
        }
        ResourceID id = ResourceID.fromResource(decidedOn);
        StatusSlot slot = slots.computeIfAbsent(id, k -> new StatusSlot());
        synchronized (slot) {
            if (!slot.finalizer.queue(decidedOn)) {
                return;
            }
            slot.startChain(decidedOn.getMetadata().getResourceVersion());
            startDrain(id, slot);
        }
    }

    private void startDrain(ResourceID id, StatusSlot slot) {
        if (!slot.writing) {
            slot.writing = true;
            try {
                threads.execute(() -> drain(id, slot));
            } catch (RejectedExecutionException closed) {
                slot.writing = false;
            }
        }
    }

    /** The DomainConfig is gone (its finalizer removed): nothing more is written for it. */
    void forget(ResourceID id) {
        StatusSlot slot = slots.remove(id);
        if (slot != null) {
            synchronized (slot) {
                slot.gone();
            }
        }
    }

    private void drain(ResourceID id, StatusSlot slot) {
        Duration backoff = RETRY_MIN;
        for (;;) {
            StatusSlot.Write write;
            DomainConfig request;
            DomainConfig finalizerRequest;
            boolean pause;
            synchronized (slot) {
                if ((slot.next == null && !slot.finalizer.pending()) || slots.get(id) != slot) {
                    slot.writing = false;
                    return;
                }
                boolean first = slot.finalizer.goesFirst(slot.next != null);
                pause = first && slot.finalizer.retryAfterPause();
                finalizerRequest = first ? slot.finalizer.request(slot.chain, slot.head) : null;
                if (slot.next != null && !first) {
                    slot.finalizer.retry(); // after this status
                }
            }
            if (pause) {
                sleep(backoff);
                backoff = doubled(backoff);
            }
            if (finalizerRequest != null) {
                WriteResult result = FinalizerWrite.send(finalizers, finalizerRequest);
                boolean again;
                synchronized (slot) {
                    again = slot.finalizer.answered();
                    landedFinalizer(slot, finalizerRequest, result);
                }
                if (again && !(result instanceof WriteResult.Conflict)) {
                    listener.decideAgain(id);
                }
                if (result instanceof WriteResult.Conflict) {
                    listener.conflicted(id);
                } else if (!(result instanceof WriteResult.Failed)) {
                    backoff = RETRY_MIN;
                }
                continue;
            }
            synchronized (slot) {
                if (slot.next == null) {
                    continue;
                }
                write = slot.next;
                slot.next = null;
                slot.inFlight = write;
                request = write.object;
                if (slot.head != null && slot.chain.contains(request.getMetadata().getResourceVersion())) {
                    request = StatusCopies.withVersion(request, slot.head);
                }
            }
            WriteResult result = attempt(request);
            synchronized (slot) {
                slot.inFlight = null;
                switch (result) {
                    case WriteResult.Landed landed -> {
                        backoff = RETRY_MIN;
                        if (slot.chain.contains(write.object.getMetadata().getResourceVersion())) {
                            // Still the chain this write belongs to (no newer foreign version was decided on since).
                            String version = landed.stored().getMetadata().getResourceVersion();
                            slot.extendChain(version);
                        }
                        if (slot.next == null) {
                            slot.latest = landed.stored();
                        }
                        recordEvents.accept(landed.stored(), List.copyOf(write.events));
                    }
                    case WriteResult.Conflict c -> slot.conflicted(write);
                    case WriteResult.Gone g -> slot.gone();
                    case WriteResult.Failed f -> {
                        if (slot.next == null) {
                            slot.next = write; // the same status again, after a pause
                        } else {
                            slot.next.addEvents(write.events); // a newer status replaces it, carrying its events
                        }
                    }
                }
            }
            switch (result) {
                case WriteResult.Conflict c -> listener.conflicted(id);
                case WriteResult.Failed f -> {
                    sleep(backoff);
                    backoff = doubled(backoff);
                }
                default -> {
                }
            }
        }
    }

    /** The finalizer's answer: on a conflict what waits was decided on an old object, as after a status conflict. */
    private static void landedFinalizer(StatusSlot slot, DomainConfig request, WriteResult result) {
        switch (result) {
            case WriteResult.Landed landed -> {
                slot.finalizer.landed(request);
                String sent = request.getMetadata().getResourceVersion();
                if (slot.chain.contains(sent) || sent.equals(slot.head)) {
                    String version = landed.stored().getMetadata().getResourceVersion();
                    slot.extendChain(version);
                }
            }
            case WriteResult.Conflict c -> {
                slot.finalizer.dropped(); // the fresh decision this conflict asks for queues it again
                slot.conflicted(null);
            }
            case WriteResult.Gone g -> {
                slot.finalizer.dropped();
                slot.gone();
            }
            case WriteResult.Failed f -> {
                if (f.refused()) {
                    slot.finalizer.dropped(); // e.g. its deletion began meanwhile: no new finalizer is accepted then
                } else {
                    slot.finalizer.failed();
                }
            }
        }
    }

    private WriteResult attempt(DomainConfig request) {
        String key = request.getMetadata().getNamespace() + "/" + request.getMetadata().getName();
        try {
            CrashSwitch.reached(CrashPoint.STATUS_WRITE_BEFORE);
            LOG.debug("{}: writing status phase {} on version {}", key,
                request.getStatus() == null ? null : request.getStatus().getPhase(), request.getMetadata().getResourceVersion());
            DomainConfig stored = api.replaceStatus(request);
            LOG.debug("{}: status written", key);
            CrashSwitch.reached(CrashPoint.STATUS_WRITE_AFTER);
            listener.written();
            return new WriteResult.Landed(stored != null && stored.getMetadata() != null ? stored : request);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return new WriteResult.Conflict();
            }
            if (e.getCode() == 404) {
                return new WriteResult.Gone();
            }
            LOG.warn("{}: status not written ({}); trying again", key, e.getMessage());
            return new WriteResult.Failed(String.valueOf(e.getMessage()), false);
        } catch (RuntimeException e) {
            LOG.warn("{}: status not written ({}); trying again", key, e.toString());
            return new WriteResult.Failed(e.toString(), false);
        }
    }

    private static Duration doubled(Duration backoff) {
        return backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
