package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.controller.journal.JournalFile;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.SaveImageJournal;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.reconciler.SaveRestoreRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node shutdown, the domains whose spec.onHostShutdown is Save (issue 18): each is saved to the save directory instead
 * of halted, in the halt's dependency order (a level is saved before the next is halted or saved). The engine decides
 * ({@link SaveRestoreRules#atHostShutdown}); the save's intent is journaled before it and its image's size and
 * checksum after, so that an agent killed during the save finds the image when it starts, and restores the guest
 * from it then. A save that fails leaves the domain to the halt.
 *
 * <p>Saves are bounded by the halt's deadline, as the graceful-then-forced halt is: a save still running then is
 * cancelled by destroying its domain (what the halt would do at the deadline), what it wrote is removed (never a
 * complete image: that exists only once the save succeeded) and the journal says so, so that the next agent reports
 * SaveFailed and boots the guest afresh.
 */
final class HostShutdownSave {
    private static final Logger LOG = LoggerFactory.getLogger(HostShutdownSave.class);
    private final Hypervisor hypervisor;
    private final FileJournalStore<Journal> journals;
    private final OperationExecutor executor;
    private final Clock clock;
    private final SaveImageStore images;
    /** How long a save cancelled at the deadline may take to notice that its domain is gone. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

    HostShutdownSave(Hypervisor hypervisor, AgentConfig config, Clock clock) {
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.journals = FileJournalStore.mapped(config.stateDir().resolve("journal"), JournalFile.class,
            JournalFile::of, JournalFile::journal);
        this.images = new SaveImageStore(SaveImageStore.under(config.stateDir()));
        this.executor = new OperationExecutor(hypervisor, null, null, images);
    }

    /** Saves the domains of one level whose spec says Save; the others are left to the halt. Returns those saved. */
    java.util.Set<String> saveLevel(List<String> names, Map<String, DomainConfig> byName, Instant deadline) {
        java.util.Set<String> saved = new java.util.HashSet<>();
        for (String name : names) {
            DomainConfig dc = byName.get(name);
            if (dc == null) {
                continue;
            }
            String key = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
            try {
                if (save(key, dc, name, deadline)) {
                    saved.add(name);
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot save {} at the node's shutdown ({}); halting it instead", key, name, e.getMessage());
            }
        }
        return saved;
    }

    private boolean save(String key, DomainConfig dc, String name, Instant deadline) {
        Journal journal = journals.load(key).orElse(Journal.empty());
        Optional<DomainInfo> seen = hypervisor.listDomains().stream().filter(d -> d.name().equals(name)).findFirst();
        Optional<SaveToImage> save = SaveRestoreRules.atHostShutdown(dc.getSpec(), journal, seen.orElse(null));
        if (save.isEmpty()) {
            return false;
        }
        if (!clock.instant().isBefore(deadline)) {
            LOG.warn("{}: the node's shutdown deadline has passed; {} is halted, not saved", key, name);
            return false;
        }
        Journal intent = journal.withIntent(save.get(), clock.instant());
        journals.save(key, intent);
        LOG.info("{}: saving {} to {} (spec.onHostShutdown Save)", key, name, save.get().image());
        try {
            OperationExecutor.Result r = withinDeadline(key, save.get(), deadline);
            Journal after = intent.withSuccess(save.get(), clock.instant(), null);
            journals.save(key, SaveImageJournal.checked(after, r.image().sizeBytes(), r.image().sha256()));
            LOG.info("{}: saved {} ({} bytes); it is restored when the agent starts again", key, name,
                r.image().sizeBytes());
            return true;
        } catch (RuntimeException e) {
            journals.save(key, intent.withFailure(save.get(), e.getMessage() == null ? e.toString() : e.getMessage(),
                clock.instant()));
            throw e;
        }
    }

    /** Runs the save, cancelling it at the deadline; returns its result only if it completed. */
    private OperationExecutor.Result withinDeadline(String key, SaveToImage save, Instant deadline) {
        FutureTask<OperationExecutor.Result> task = new FutureTask<>(() -> executor.execute(key, save));
        Thread.ofVirtual().name("save-" + save.name()).start(task);
        try {
            try {
                return task.get(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException late) {
                LOG.warn("{}: the save of {} did not finish by the node's shutdown deadline; destroying the domain",
                    key, save.name());
                try {
                    hypervisor.destroy(save.name());
                } catch (RuntimeException e) {
                    LOG.warn("{}: destroying {} to cancel its save: {}", key, save.name(), e.getMessage());
                }
                try {
                    // The save may have finished meanwhile: then its image is complete, and kept.
                    return task.get(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException notSaved) {
                    task.cancel(true);
                    images.removePartial(save.image());
                    throw new IllegalStateException("the save did not finish by the node's shutdown deadline ("
                        + deadline + "); the domain was destroyed as the halt does then, and what the"
                        + " save wrote was removed", notSaved);
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving " + save.name(), e);
        }
    }
}
