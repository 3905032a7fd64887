package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DomainConfigs deleted before the agent's finalizer landed on them (see {@link FinalizerWrite}): the object is gone
 * at once, but its domain may be booting or running. It is halted and cleaned up as a deletion with the finalizer
 * would (graceful shutdown, destroy, devices released, disks per keepDisksOnDelete), from the object's last known
 * state, pass after pass until the step forgets it.
 *
 * <p>java-operator-sdk runs one pass for a delete event and then drops the resource's state, so the later passes are
 * driven here, on one thread (never two passes of a domain at once). The reconciler sends this domain's requeues
 * (its call ended, the poller saw it change) here, and holds back a new object of the same name until this one is
 * forgotten, as the API server would have while a finalizer held the old one. An agent killed meanwhile finds the
 * journal without a DomainConfig: {@link OrphanSweeper} halts it then.
 */
final class DeletedBeforeFinalizer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedBeforeFinalizer.class);

    /** One pass of the deletion path for the object's last known state. */
    interface Pass {
        DomainStep.Outcome run(DomainConfig lastKnown, Context<DomainConfig> context);
    }

    private final Pass pass;
    private final BiConsumer<DomainConfig, DomainStep.Outcome> forgotten;
    private final Map<ResourceID, Gone> gone = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("deleted-before-finalizer").factory());

    private record Gone(DomainConfig lastKnown, Context<DomainConfig> context) {
    }

    /** forgotten: told each domain's last outcome (its events) once it is forgotten. */
    DeletedBeforeFinalizer(Pass pass, BiConsumer<DomainConfig, DomainStep.Outcome> forgotten) {
        this.pass = pass;
        this.forgotten = forgotten;
    }

    /** Halting a deleted object of this name: a new one waits. */
    boolean holds(ResourceID id) {
        return gone.containsKey(id);
    }

    /** Takes over a deleted object whose domain is not forgotten yet; its next pass after {@code after}. */
    void take(DomainConfig lastKnown, Context<DomainConfig> context, Duration after) {
        ResourceID id = ResourceID.fromResource(lastKnown);
        LOG.info("{}/{}: deleted before the agent's finalizer landed: halting its domain from its last known state",
            id.getNamespace().orElse(""), id.getName());
        gone.put(id, new Gone(lastKnown, context));
        schedule(id, after);
    }

    /** Its call ended or the poller saw it change: a pass now. */
    void kick(ResourceID id) {
        if (gone.containsKey(id)) {
            schedule(id, Duration.ZERO);
        }
    }

    private void schedule(ResourceID id, Duration after) {
        try {
            thread.schedule(() -> runPass(id), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the agent stops: the journal stays, and the orphan sweep of the next agent halts the domain
        }
    }

    private void runPass(ResourceID id) {
        Gone g = gone.get(id);
        if (g == null) {
            return; // forgotten by an earlier pass (a kick and a timer both asked)
        }
        try {
            DomainStep.Outcome outcome = pass.run(g.lastKnown(), g.context());
            if (outcome.forgotten()) {
                gone.remove(id);
                forgotten.accept(g.lastKnown(), outcome);
                return;
            }
            schedule(id, outcome.requeueAfter());
        } catch (RuntimeException e) {
            LOG.warn("{}/{}: halting the domain of a deleted object failed ({}); trying again", id.getNamespace().orElse(""),
                id.getName(), e.toString());
            schedule(id, Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
