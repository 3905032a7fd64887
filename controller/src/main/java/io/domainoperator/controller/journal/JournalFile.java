package io.domainoperator.controller.journal;

import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.SaveImage;
import io.domainoperator.reconciler.StartedBy;
import io.domainoperator.reconciler.StartedSpec;
import java.time.Instant;
import java.util.List;

/**
 * The on-disk shape of the engine's {@link Journal}: one flat JSON object, as every agent version so far has
 * written it. The engine groups its journal by concern; the file stays flat so that an agent upgraded in place
 * reads the journals its predecessor left. Field names are the format: rename none. {@code format} says which
 * facts a file may hold ({@link #FORMAT}; files from before it have none, read as 1): an agent refuses a file of
 * a newer format ({@link NewerJournalException}) instead of dropping what it does not know.
 */
public record JournalFile(long generation, Journal.Intent intent, String domainName, String uuid, Integer domainId,
                          Integer goneDomainId, boolean pausedByUs, int bootAttempts, Journal.Failure bootFailure,
                          Journal.Failure lastFailure, int restartCount, Instant lastBootTime, Instant lastRebootTime,
                          boolean shutdownAsked, Instant shutdownRequestedAt, long shutdownGeneration,
                          StartedSpec startedWith, List<String> preparedDisks, List<String> assignedAdapters,
                          List<String> pendingDisks, List<String> pendingAdapters, Journal.Exit exit,
                          Instant orphanSince, Instant haltWaitSince, int format, String startedByBackend,
                          String startedByVersion, String writtenBy,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          SaveImage saveImage) {
    /** 2: the backend and agent that started the domain (startedByBackend, startedByVersion; rule 12). */
    public static final int FORMAT = 2;
    /**
     * 3: a save image (issue 18). Written only by a journal that holds one, so that an agent rolled back reads every
     * other journal, and refuses (rather than drops, losing track of the image) one that does.
     */
    public static final int FORMAT_WITH_SAVE_IMAGE = 3;
    /** The newest format this agent reads. */
    public static final int NEWEST_FORMAT = FORMAT_WITH_SAVE_IMAGE;
    /** This agent's version, as written into {@code writtenBy}. */
    static final String AGENT_VERSION = agentVersion();

    public static JournalFile of(Journal j) {
        return new JournalFile(j.generation(), j.intent(), j.domainName(), j.uuid(), j.domainId(), j.goneDomainId(),
            j.pausedByUs(), j.bootAttempts(), j.bootFailure(), j.lastFailure(), j.restartCount(), j.lastBootTime(),
            j.lastRebootTime(), j.shutdownAsked(), j.shutdownRequestedAt(), j.shutdownGeneration(), j.startedWith(),
            j.preparedDisks(), j.assignedAdapters(), j.pendingDisks(), j.pendingAdapters(), j.exit(), j.orphanSince(),
            j.haltWaitSince(), j.saveImage() == null ? FORMAT : FORMAT_WITH_SAVE_IMAGE,
            j.startedBy() == null ? null : j.startedBy().backend(),
            j.startedBy() == null ? null : j.startedBy().agentVersion(), AGENT_VERSION, j.saveImage());
    }

    /** @throws NewerJournalException for a file a newer agent wrote in a format this one does not know */
    public Journal journal() {
        if (format > NEWEST_FORMAT) {
            throw new NewerJournalException(format, writtenBy == null ? "unknown" : writtenBy);
        }
        StartedBy startedBy = startedByBackend == null ? null
            : new StartedBy(startedByBackend, startedByVersion == null ? "unknown" : startedByVersion);
        return new Journal(generation, intent, lastFailure,
            new Journal.Identity(domainName, uuid, domainId, goneDomainId, startedWith, startedBy),
            new Journal.Boot(pausedByUs, bootAttempts, bootFailure, restartCount, lastBootTime, lastRebootTime),
            new Journal.Halt(shutdownAsked, shutdownRequestedAt, shutdownGeneration, haltWaitSince),
            new Journal.Holdings(preparedDisks, assignedAdapters, pendingDisks, pendingAdapters, saveImage), exit,
            orphanSince);
    }

    /** The version in the jar's manifest; "dev" when run from classes (tests, the IDE). */
    public static String agentVersion() {
        String v = JournalFile.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
