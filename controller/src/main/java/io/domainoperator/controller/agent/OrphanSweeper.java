package io.domainoperator.controller.agent;

import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.Decision;
import io.domainoperator.reconciler.DomainDecider;
import io.domainoperator.reconciler.DomainEvent;
import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.Operation;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domains of ours that no DomainConfig claims (its object was deleted while the agent was down, or its
 * finalizer removed by hand). The engine halts them after a grace period; their journal lives under
 * {@code orphan/<domain name>}. Runs on the poller's thread after each poll, so never twice at once.
 */
final class OrphanSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);
    private static final String PREFIX = "orphan/";
    private final Supplier<DomainDecider> engine;
    private final FileJournalStore<Journal> journals;
    private final OperationExecutor executor;
    private final Map<String, ResourceID> owners;
    private final Clock clock;
    private final Consumer<DomainEvent> nodeEvents;
    /** The warning last reported per orphan journal, so that each is logged and recorded once, not every poll. */
    private final Map<String, String> reported = new ConcurrentHashMap<>();

    /**
     * @param nodeEvents records a warning about an orphan on the agent's Node (there is no DomainConfig to carry it),
     *                   e.g. a journal another backend wrote, which this agent leaves alone (rule 12)
     */
    OrphanSweeper(Supplier<DomainDecider> engine, FileJournalStore<Journal> journals, OperationExecutor executor,
                  Map<String, ResourceID> owners, Clock clock, Consumer<DomainEvent> nodeEvents) {
        this.engine = engine;
        this.journals = journals;
        this.executor = executor;
        this.owners = owners;
        this.clock = clock;
        this.nodeEvents = nodeEvents;
    }

    void sweep(HypervisorPoller.Snapshot snapshot) {
        for (DomainInfo d : snapshot.domains().values()) {
            if (d.ours() && !owners.containsKey(d.name())) {
                step(PREFIX + d.name(), Optional.of(d));
            }
        }
        for (String key : journals.keys(PREFIX)) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String name = key.substring(PREFIX.length());
            if (owners.containsKey(name)) {
                journals.delete(key); // claimed after all: its DomainConfig's journal rules
            } else if (!snapshot.domains().containsKey(name)) {
                step(key, Optional.empty());
            }
        }
    }

    private void step(String key, Optional<DomainInfo> observed) {
        try {
            Journal journal = journals.load(key).orElse(Journal.empty());
            Decision decision = engine.get().decideOrphan(observed, journal, clock.instant());
            report(key, decision);
            Journal current = decision.journal();
            Operation op = decision.operation();
            if (op instanceof Operation.ForgetDomain) {
                journals.delete(key);
                reported.remove(key);
                return;
            }
            if (!current.equals(journal)) {
                journals.save(key, current);
            }
            if (!decision.hasOperation()) {
                return;
            }
            Journal withIntent = current.withIntent(op, clock.instant());
            journals.save(key, withIntent);
            try {
                executor.execute(key, op);
                journals.save(key, withIntent.withSuccess(op, clock.instant(), null));
                LOG.info("{}: {} done (a domain of ours that no DomainConfig claims)", key, op.kind());
            } catch (RuntimeException e) {
                journals.save(key, withIntent.withFailure(op, String.valueOf(e.getMessage()), clock.instant()));
                LOG.warn("{}: {} failed: {}", key, op.kind(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: orphan sweep failed: {}", key, e.getMessage());
        }
    }

    /** Warnings of the engine about an orphan: logged and recorded on the Node when they first appear or change. */
    private void report(String key, Decision decision) {
        DomainEvent warning = decision.events().stream().filter(e -> e.type() == DomainEvent.Type.Warning).findFirst()
            .orElse(null);
        if (warning == null) {
            reported.remove(key);
            return;
        }
        if (!warning.message().equals(reported.put(key, warning.message()))) {
            LOG.warn("{}: {}: {}", key, warning.reason(), warning.message());
            nodeEvents.accept(warning);
        }
    }
}
