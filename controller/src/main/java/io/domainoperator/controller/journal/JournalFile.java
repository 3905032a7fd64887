package io.domainoperator.controller.journal;

import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.StartedSpec;
import java.time.Instant;
import java.util.List;

/**
 * The on-disk shape of the engine's {@link Journal}: one flat JSON object, as every agent version so far has
 * written it. The engine groups its journal by concern; the file stays flat so that an agent upgraded in place
 * reads the journals its predecessor left, and a rolled-back one reads the new agent's. Field names are the
 * format: rename none.
 */
public record JournalFile(long generation, Journal.Intent intent, String domainName, String uuid, Integer domainId,
                          Integer goneDomainId, boolean pausedByUs, int bootAttempts, Journal.Failure bootFailure,
                          Journal.Failure lastFailure, int restartCount, Instant lastBootTime, Instant lastRebootTime,
                          boolean shutdownAsked, Instant shutdownRequestedAt, long shutdownGeneration,
                          StartedSpec startedWith, List<String> preparedDisks, List<String> assignedAdapters,
                          List<String> pendingDisks, List<String> pendingAdapters, Journal.Exit exit,
                          Instant orphanSince, Instant haltWaitSince) {

    public static JournalFile of(Journal j) {
        return new JournalFile(j.generation(), j.intent(), j.domainName(), j.uuid(), j.domainId(), j.goneDomainId(),
            j.pausedByUs(), j.bootAttempts(), j.bootFailure(), j.lastFailure(), j.restartCount(), j.lastBootTime(),
            j.lastRebootTime(), j.shutdownAsked(), j.shutdownRequestedAt(), j.shutdownGeneration(), j.startedWith(),
            j.preparedDisks(), j.assignedAdapters(), j.pendingDisks(), j.pendingAdapters(), j.exit(), j.orphanSince(),
            j.haltWaitSince());
    }

    public Journal journal() {
        return new Journal(generation, intent, lastFailure,
            new Journal.Identity(domainName, uuid, domainId, goneDomainId, startedWith),
            new Journal.Boot(pausedByUs, bootAttempts, bootFailure, restartCount, lastBootTime, lastRebootTime),
            new Journal.Halt(shutdownAsked, shutdownRequestedAt, shutdownGeneration, haltWaitSince),
            new Journal.Holdings(preparedDisks, assignedAdapters, pendingDisks, pendingAdapters), exit, orphanSince);
    }
}
