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
 */
final class HostShutdownSave {
    private static final Logger LOG = LoggerFactory.getLogger(HostShutdownSave.class);
    private final Hypervisor hypervisor;
    private final FileJournalStore<Journal> journals;
    private final OperationExecutor executor;
    private final Clock clock;

    HostShutdownSave(Hypervisor hypervisor, AgentConfig config, Clock clock) {
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.journals = FileJournalStore.mapped(config.stateDir().resolve("journal"), JournalFile.class,
            JournalFile::of, JournalFile::journal);
        this.executor = new OperationExecutor(hypervisor, null, null,
            new SaveImageStore(SaveImageStore.under(config.stateDir())));
    }

    /** Saves the domains of one level whose spec says Save; the others are left to the halt. Returns those saved. */
    java.util.Set<String> saveLevel(List<String> names, Map<String, DomainConfig> byName) {
        java.util.Set<String> saved = new java.util.HashSet<>();
        for (String name : names) {
            DomainConfig dc = byName.get(name);
            if (dc == null) {
                continue;
            }
            String key = dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
            try {
                if (save(key, dc, name)) {
                    saved.add(name);
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot save {} at the node's shutdown ({}); halting it instead", key, name, e.getMessage());
            }
        }
        return saved;
    }

    private boolean save(String key, DomainConfig dc, String name) {
        Journal journal = journals.load(key).orElse(Journal.empty());
        Optional<DomainInfo> seen = hypervisor.listDomains().stream().filter(d -> d.name().equals(name)).findFirst();
        Optional<SaveToImage> save = SaveRestoreRules.atHostShutdown(dc.getSpec(), journal, seen.orElse(null));
        if (save.isEmpty()) {
            return false;
        }
        Journal intent = journal.withIntent(save.get(), clock.instant());
        journals.save(key, intent);
        LOG.info("{}: saving {} to {} (spec.onHostShutdown Save)", key, name, save.get().image());
        try {
            OperationExecutor.Result r = executor.execute(key, save.get());
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
}
