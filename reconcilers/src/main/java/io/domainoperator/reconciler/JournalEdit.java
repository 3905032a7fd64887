package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import io.domainoperator.reconciler.Journal.*;

/**
 * A mutable, flat copy for the engine's own edits ({@link Journal}'s withers, {@code Situation}'s fold,
 * {@code OrphanRules}), which often touch several concerns at once (a successful Unpause clears the boot
 * failure, the pause mark, the last failure and the exit) and, in the fold, build the new journal once, only
 * when something changed. Package-private so the records stay the API; tests set journals up through the
 * nested records ({@code JournalSetup}), never through this copy.
 */
final class JournalEdit {
    long generation;
    Intent intent;
    String domainName;
    String uuid;
    Integer domainId;
    Integer goneDomainId;
    boolean pausedByUs;
    int bootAttempts;
    Failure bootFailure;
    Failure lastFailure;
    int restartCount;
    Instant lastBootTime;
    Instant lastRebootTime;
    boolean shutdownAsked;
    Instant shutdownRequestedAt;
    long shutdownGeneration;
    StartedSpec startedWith;
    StartedBy startedBy;
    List<String> preparedDisks;
    List<String> assignedAdapters;
    List<String> pendingDisks;
    List<String> pendingAdapters;
    Exit exit;
    Instant orphanSince;
    Instant haltWaitSince;
    SaveImage saveImage;

    JournalEdit(Journal j) {
        generation = j.generation();
        intent = j.intent();
        lastFailure = j.lastFailure();
        domainName = j.domainName();
        uuid = j.uuid();
        domainId = j.domainId();
        goneDomainId = j.goneDomainId();
        startedWith = j.startedWith();
        startedBy = j.startedBy();
        pausedByUs = j.pausedByUs();
        bootAttempts = j.bootAttempts();
        bootFailure = j.bootFailure();
        restartCount = j.restartCount();
        lastBootTime = j.lastBootTime();
        lastRebootTime = j.lastRebootTime();
        shutdownAsked = j.shutdownAsked();
        shutdownRequestedAt = j.shutdownRequestedAt();
        shutdownGeneration = j.shutdownGeneration();
        haltWaitSince = j.haltWaitSince();
        preparedDisks = j.preparedDisks();
        assignedAdapters = j.assignedAdapters();
        pendingDisks = j.pendingDisks();
        pendingAdapters = j.pendingAdapters();
        exit = j.exit();
        orphanSince = j.orphanSince();
        saveImage = j.saveImage();
    }

    /** The domain is gone (destroyed, or ended by its save): what both record of it. */
    void domainEnded(Journal j) {
        goneDomainId = j.domainId() != null ? j.domainId() : j.goneDomainId();
        domainName = null;
        domainId = null;
        pausedByUs = false;
        shutdownRequestedAt = null;
        shutdownAsked = false;
    }

    Journal build() {
        return new Journal(generation, intent, lastFailure,
            new Identity(domainName, uuid, domainId, goneDomainId, startedWith, startedBy),
            new Boot(pausedByUs, bootAttempts, bootFailure, restartCount, lastBootTime, lastRebootTime),
            new Halt(shutdownAsked, shutdownRequestedAt, shutdownGeneration, haltWaitSince),
            new Holdings(preparedDisks, assignedAdapters, pendingDisks, pendingAdapters, saveImage), exit, orphanSince);
    }
}
