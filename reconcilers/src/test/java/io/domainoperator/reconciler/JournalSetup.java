package io.domainoperator.reconciler;

import java.time.Instant;
import java.util.List;

/**
 * Puts a journal into a state a test needs by replacing one nested record at a time (the engine itself
 * changes journals only through {@code withIntent}/{@code withSuccess}/{@code withFailure} and its fold).
 * Start with {@link Fixtures#setUp(Journal)}, end with {@link #journal()}.
 */
final class JournalSetup {
    private Journal j;

    JournalSetup(Journal j) {
        this.j = j;
    }

    Journal journal() {
        return j;
    }

    JournalSetup generation(long generation) {
        j = new Journal(generation, j.intent(), j.lastFailure(), j.identity(), j.boot(), j.halt(), j.holdings(),
            j.exit(), j.orphanSince());
        return this;
    }

    JournalSetup exit(Journal.Exit exit) {
        j = new Journal(j.generation(), j.intent(), j.lastFailure(), j.identity(), j.boot(), j.halt(), j.holdings(),
            exit, j.orphanSince());
        return this;
    }

    JournalSetup orphanSince(Instant since) {
        j = new Journal(j.generation(), j.intent(), j.lastFailure(), j.identity(), j.boot(), j.halt(), j.holdings(),
            j.exit(), since);
        return this;
    }

    /** We asked the domain to shut down at {@code at}, for DomainConfig generation {@code generation}. */
    JournalSetup shutdownAsked(Instant at, long generation) {
        return halt(new Journal.Halt(true, at, generation, j.halt().haltWaitSince()));
    }

    JournalSetup shutdownRequestedAt(Instant at) {
        Journal.Halt h = j.halt();
        return halt(new Journal.Halt(h.shutdownAsked(), at, h.shutdownGeneration(), h.haltWaitSince()));
    }

    JournalSetup haltWaitSince(Instant since) {
        Journal.Halt h = j.halt();
        return halt(new Journal.Halt(h.shutdownAsked(), h.shutdownRequestedAt(), h.shutdownGeneration(), since));
    }

    JournalSetup preparedDisks(List<String> disks) {
        Journal.Holdings h = j.holdings();
        return holdings(new Journal.Holdings(disks, h.assignedAdapters(), h.pendingDisks(), h.pendingAdapters()));
    }

    JournalSetup assignedAdapters(List<String> adapters) {
        Journal.Holdings h = j.holdings();
        return holdings(new Journal.Holdings(h.preparedDisks(), adapters, h.pendingDisks(), h.pendingAdapters()));
    }

    JournalSetup pendingDisks(List<String> disks) {
        Journal.Holdings h = j.holdings();
        return holdings(new Journal.Holdings(h.preparedDisks(), h.assignedAdapters(), disks, h.pendingAdapters()));
    }

    /** The backend and agent version that started the domain (rule 12). */
    JournalSetup startedBy(StartedBy by) {
        Journal.Identity i = j.identity();
        j = new Journal(j.generation(), j.intent(), j.lastFailure(),
            new Journal.Identity(i.domainName(), i.uuid(), i.domainId(), i.goneDomainId(), i.startedWith(), by),
            j.boot(), j.halt(), j.holdings(), j.exit(), j.orphanSince());
        return this;
    }

    private JournalSetup halt(Journal.Halt halt) {
        j = new Journal(j.generation(), j.intent(), j.lastFailure(), j.identity(), j.boot(), halt, j.holdings(),
            j.exit(), j.orphanSince());
        return this;
    }

    private JournalSetup holdings(Journal.Holdings holdings) {
        j = new Journal(j.generation(), j.intent(), j.lastFailure(), j.identity(), j.boot(), j.halt(), holdings,
            j.exit(), j.orphanSince());
        return this;
    }
}
