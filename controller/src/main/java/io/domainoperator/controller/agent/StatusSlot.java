package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.reconciler.DomainEvent;
import java.util.ArrayList;
import java.util.List;

/** One DomainConfig's writes in {@link StatusWriter}; guarded by its own monitor. */
final class StatusSlot {
    /** Versions of one chain remembered: far more than the writes a queued pass can be behind. */
    private static final int CHAIN_KEPT = 32;

    /** A status to write and the events it carries. */
    static final class Write {
        final DomainConfig object;
        final List<DomainEvent> events = new ArrayList<>();

        Write(DomainConfig object, List<DomainEvent> events) {
            this.object = object;
            addEvents(events);
        }

        void addEvents(List<DomainEvent> more) {
            merge(events, more);
        }
    }

    /** Waiting behind the write in flight. */
    Write next;
    /** On its way to the server. */
    Write inFlight;
    boolean writing;
    /** The status decided last, and the metadata the server will have once it lands. */
    DomainConfig latest;
    /**
     * Versions the informer may still show that {@link #latest} supersedes: the base and our writes' results. Kept
     * after the informer moved past them: a pass queued before that may still hold one.
     */
    final List<String> chain = new ArrayList<>();
    /** The version the server holds after our last landed write in this chain. */
    String head;
    /**
     * Events of refused writes: they wait for the next decision's write. That decision, made on the fresh object,
     * usually derives the same transitions again, and each reason is recorded once.
     */
    final List<DomainEvent> carried = new ArrayList<>();
    /** The finalizer to add before the next status write, if any, and the object whose finalizer landed last. */
    final FinalizerWrite finalizer = new FinalizerWrite();

    /** Our write landed as {@code version}; the oldest versions go once the chain is long (a long-lived domain). */
    void extendChain(String version) {
        chain.add(version);
        head = version;
        if (chain.size() > CHAIN_KEPT) {
            chain.subList(0, chain.size() - CHAIN_KEPT).clear();
        }
    }

    /**
     * Decided on a version none of our writes made: a new chain starts there, and is not sent on from the version of a
     * write of ours it is newer than.
     */
    void startChain(String base) {
        if (!chain.contains(base)) {
            forgetChain();
            chain.add(base);
        }
    }

    /** Someone else's version counts now (a conflict, or a version none of ours): nothing of ours supersedes it. */
    void forgetChain() {
        chain.clear();
        head = null;
    }

    /**
     * Someone else changed the object: what waits was decided on the old one too. Its events, and those of the write
     * refused ({@code refused}, if a status write), wait for the next decision, made on the fresh object.
     */
    void conflicted(Write refused) {
        if (refused != null) {
            merge(carried, refused.events);
        }
        if (next != null) {
            merge(carried, next.events);
        }
        next = null;
        latest = null;
        forgetChain();
    }

    /** The object is gone: nothing waits to be written for it. */
    void gone() {
        next = null;
        latest = null;
    }

    /** Adds to {@code into} the events of {@code from} whose reason it does not hold yet. */
    static void merge(List<DomainEvent> into, List<DomainEvent> from) {
        for (DomainEvent e : from) {
            if (into.stream().noneMatch(p -> p.reason().equals(e.reason()))) {
                into.add(e);
            }
        }
    }
}
