package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's finalizer on one DomainConfig, added by the agent itself rather than by java-operator-sdk before the
 * first reconcile: that patch put one API round trip in front of every create, and at 50 creates a second the API
 * server's write queue, not the hypervisor, set the pace (bench/RESULTS.md). The first pass now starts the boot and
 * queues the finalizer; {@link StatusWriter} writes it ahead of that pass's status while the hypervisor call runs.
 *
 * <p>The window this opens (the object deleted before the finalizer lands) is closed by {@link DeletedBeforeFinalizer},
 * which halts the domain from the object's last known state, as a deletion with the finalizer would.
 *
 * <p>Guarded by the writer's slot monitor.
 */
final class FinalizerWrite {
    private static final Logger LOG = LoggerFactory.getLogger(FinalizerWrite.class);
    /** The object itself, replaced whole and locked to its resourceVersion (a conflict asks for a fresh decision). */
    interface Api {
        DomainConfig replace(DomainConfig withFinalizer);
    }

    /** For writers that never add the finalizer (tests of status writes alone). */
    static final Api NONE = dc -> {
        throw new IllegalStateException("this status writer adds no finalizer");
    };

    /** The object to add it to, while queued. */
    private DomainConfig base;
    /** The uid of the object it was added to last, so that an informer copy older than that write asks nothing again. */
    private String landedOn;
    /** Its last attempt failed: statuses waiting go first, so that a finalizer the server keeps refusing holds no status. */
    private boolean failed;
    /** Sent, no answer yet: the informer may show the version it made before the writer knows that version. */
    private boolean inFlight;
    /** A decision was made on what was decided last in place of such a version: it is made again once the answer is in. */
    private boolean substituted;

    /** Not held, and not being deleted (the API server accepts no new finalizer then, and none is needed). */
    static boolean wanted(DomainConfig dc) {
        return !dc.isMarkedForDeletion() && !dc.hasFinalizer(DomainConfig.FINALIZER);
    }

    /** Queues it for {@code dc}; false when it is queued or landed already. */
    boolean queue(DomainConfig dc) {
        if (base != null || uid(dc).equals(landedOn)) {
            return false;
        }
        base = dc;
        return true;
    }

    boolean pending() {
        return base != null;
    }

    /** Sent before the status waiting, unless its last attempt failed and a status waits. */
    boolean goesFirst(boolean statusWaiting) {
        return base != null && (!failed || !statusWaiting);
    }

    /** Failed, to be tried again: after the status waiting if any, else after a pause. */
    boolean retryAfterPause() {
        return failed;
    }

    void failed() {
        failed = true;
    }

    /** Tried again now (a status went first, or the pause passed). */
    void retry() {
        failed = false;
    }

    /**
     * The object with the finalizer added, locked to the version the server holds after our own writes when it was
     * decided on a version of that chain (status writes change nothing else), else to the version it was read at.
     */
    DomainConfig request(List<String> chain, String head) {
        inFlight = true;
        String version = base.getMetadata().getResourceVersion();
        if (head != null && chain.contains(version)) {
            version = head;
        }
        DomainConfig copy = new DomainConfig();
        copy.setMetadata(new ObjectMetaBuilder(base.getMetadata()).addToFinalizers(DomainConfig.FINALIZER)
            .withResourceVersion(version).build());
        copy.setSpec(base.getSpec());
        copy.setStatus(base.getStatus());
        return copy;
    }

    /**
     * Whether an informer copy at a version the writer does not know may be the one this write made: it holds the
     * finalizer while the write is on its way. Its status is the server's from before the statuses queued behind the
     * finalizer, and deciding on it would derive their transitions, and events, again.
     */
    boolean mayHaveMade(DomainConfig cached) {
        if (inFlight && cached.hasFinalizer(DomainConfig.FINALIZER)) {
            substituted = true;
            return true;
        }
        return false;
    }

    /** The answer is in; true when a decision was made on a substitute meanwhile (see {@link #mayHaveMade}). */
    boolean answered() {
        inFlight = false;
        boolean again = substituted;
        substituted = false;
        return again;
    }

    void landed(DomainConfig request) {
        landedOn = uid(request);
        base = null;
        failed = false;
    }

    /** Not sent (conflict, refused, gone): a later decision on a fresh copy queues it again if still wanted. */
    void dropped() {
        base = null;
        failed = false;
    }

    /** Sends it: a 409 asks for a fresh decision, a 422 (deletion begun, say) gives it up, other failures try again. */
    static WriteResult send(Api finalizers, DomainConfig request) {
        String key = request.getMetadata().getNamespace() + "/" + request.getMetadata().getName();
        try {
            LOG.debug("{}: adding the finalizer on version {}", key, request.getMetadata().getResourceVersion());
            DomainConfig stored = finalizers.replace(request);
            return new WriteResult.Landed(stored != null && stored.getMetadata() != null ? stored : request);
        } catch (KubernetesClientException e) {
            return switch (e.getCode()) {
                case 409 -> new WriteResult.Conflict();
                case 404 -> new WriteResult.Gone();
                case 422 -> {
                    LOG.info("{}: finalizer refused ({}); not added", key, e.getMessage());
                    yield new WriteResult.Failed(String.valueOf(e.getMessage()), true);
                }
                default -> {
                    LOG.warn("{}: finalizer not added ({}); trying again", key, e.getMessage());
                    yield new WriteResult.Failed(String.valueOf(e.getMessage()), false);
                }
            };
        } catch (RuntimeException e) {
            LOG.warn("{}: finalizer not added ({}); trying again", key, e.toString());
            return new WriteResult.Failed(e.toString(), false);
        }
    }

    private static String uid(DomainConfig dc) {
        return String.valueOf(dc.getMetadata().getUid());
    }
}
