package io.domainoperator.device;

import java.util.function.UnaryOperator;

/**
 * The device journal's read-modify-write, one at a time: moves of unrelated groups run at once and each records its
 * steps, so a load and the store after it must not interleave with another move's (one would undo the other's record).
 * Each edit is one atomic store; the sysfs writes happen outside.
 */
final class JournalEdits {
    private final DeviceJournal journal;

    JournalEdits(DeviceJournal journal) {
        this.journal = journal;
    }

    JournalState load() {
        return journal.load();
    }

    synchronized JournalState edit(UnaryOperator<JournalState> change) {
        JournalState next = change.apply(journal.load());
        journal.store(next);
        return next;
    }
}
