package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.controller.journal.FileJournalStore;
import io.domainoperator.reconciler.Journal;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A DomainConfig whose {@code spec.nodeName} changed while its domain ran here (the admission webhook refuses that
 * edit, but it may be down, absent, or this may be standalone mode). The xenopsd rule, never two running copies,
 * decides both sides:
 * <ul>
 *   <li>the node it left halts it as {@code activate: false} would (gracefully, then forced, dependents first),
 *       gives its adapters back, forgets it (its journal; disk copies stay: the DomainConfig still exists), and
 *       reports the release in status (phase Pending, {@code status.node} cleared, Booted and Ready False with reason
 *       {@value #MOVED}) and in an Event;</li>
 *   <li>the node it names boots nothing while the status says a domain may still run on the node that reported
 *       last ({@link NodeHandover#previousNode}), unless it already has the domain itself (a live migration's target,
 *       whose guest runs here since the hand-over).</li>
 * </ul>
 * Live migrations are not moves of this kind: while a migration holds the domain the loop stands back, and
 * afterwards the source has no journal left.
 */
final class NodeMove {
    static final String MOVED = "MovedToAnotherNode";
    static final String WAITING = "WaitingForPreviousNode";

    private final String node;
    private final Supplier<FileJournalStore<Journal>> journals;
    private final Clock clock;
    /** The previous node each DomainConfig here was last said to wait for, so the Event is recorded once. */
    private final Map<String, String> waitReported = new ConcurrentHashMap<>();

    NodeMove(String node, Supplier<FileJournalStore<Journal>> journals, Clock clock) {
        this.node = node;
        this.journals = journals;
        this.clock = clock;
    }

    /**
     * Events this node's loop must see: its own DomainConfigs, and those whose status this node wrote last (their
     * spec.nodeName may have left it while the domain ran here). A live migration's target holds a journal of the
     * incoming copy while spec.nodeName still names the source; it is not concerned until the controller points
     * spec.nodeName at it.
     */
    boolean concernsThisNode(DomainConfig dc) {
        return dc.getSpec() != null && (node.equals(dc.getSpec().getNodeName()) || ranHere(dc));
    }

    /** spec.nodeName names another node (or none): what runs here must go. */
    boolean movedAway(DomainConfig dc) {
        return !node.equals(dc.getSpec().getNodeName());
    }

    /** This node reported the domain last: a move away from here is this node's to carry out. */
    boolean ranHere(DomainConfig dc) {
        return node.equals(dc.getStatus() == null ? null : dc.getStatus().getNode());
    }

    /** The node this one must wait for before it boots the domain, if any (see the class comment). */
    Optional<String> waitsFor(DomainConfig dc) {
        if (movedAway(dc) || hasJournal(dc)) {
            return Optional.empty();
        }
        String previous = NodeHandover.previousNode(dc, node);
        if (previous == null) {
            waitReported.remove(key(dc));
        }
        return Optional.ofNullable(previous);
    }

    /** True the first time this DomainConfig is found waiting for {@code previous}: record it once. */
    boolean firstWait(DomainConfig dc, String previous) {
        return !previous.equals(waitReported.put(key(dc), previous));
    }

    static String waitMessage(DomainConfig dc, String previous, String self) {
        return "spec.nodeName names " + self + ", but node " + previous + " reported the domain last (phase "
            + dc.getStatus().getPhase() + "); " + self + " boots it once " + previous + " has halted and released it";
    }

    /** The spec as a halt wish: what the engine runs here for a DomainConfig that moved away. */
    static DomainConfig asHalt(DomainConfig dc) {
        DomainConfig copy = Serialization.clone(dc);
        copy.getSpec().setActivate(false);
        return copy;
    }

    /**
     * The status of a DomainConfig this node has halted and released, written only while this node is the one the
     * status names (a newer node's report is never overwritten).
     */
    DomainConfigStatus released(DomainConfig dc) {
        String to = dc.getSpec().getNodeName();
        String message = "spec.nodeName changed to " + (to == null || to.isBlank() ? "no node" : to) + " while the domain"
            + " ran on " + node + ": " + node + " halted it and released it"
            + (to == null || to.isBlank() ? "" : "; " + to + " boots it");
        return ReleasedStatus.of(dc, MOVED, message, clock.instant());
    }

    /** Whether this node's word is still the last on the object: its release may be written. */
    boolean reportsLast(DomainConfig dc) {
        String last = dc.getStatus() == null ? null : dc.getStatus().getNode();
        return last == null || last.equals(node);
    }

    private boolean hasJournal(DomainConfig dc) {
        FileJournalStore<Journal> store = journals.get();
        String key = key(dc);
        return store != null && store.keys(key).contains(key);
    }

    private static String key(DomainConfig dc) {
        return dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName();
    }
}
