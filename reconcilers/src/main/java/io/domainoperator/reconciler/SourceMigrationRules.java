package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.MigrationConditions;
import io.domainoperator.api.v1alpha1.MigrationPhase;
import io.domainoperator.hypervisor.MigrationProgress;

/**
 * The source node's side. Before the hand-over it owns the guest: it copies, and on any failure cancels the copy
 * or resumes its stopped guest. At the hand-over it records the copy's completion; after it, it only destroys its
 * stopped copy.
 */
final class SourceMigrationRules {
    private SourceMigrationRules() {
    }

    static MigrationDecision decide(MigrationInput in, Knobs knobs) {
        DomainMigrationStatus st = in.status();
        String name = st.getDomainName();
        MigrationProgress.State copy = in.progress().state();
        if (st.getHandoverTime() != null) {
            // The guest is the target's: the stopped copy here only goes away.
            // Once the migration has ended, a running domain here is not its stopped copy but the guest come back
            // (a later migration, or the DomainConfig moved back): never touched.
            boolean ownCopy = in.observed() != null && (!st.getPhase().terminal() || !in.observed().state().isAlive());
            return ownCopy
                ? MigrationDecider.act(new MigrationOperations.DestroyCopy(name), null, null)
                // Still held until the migration ends: the DomainConfig names this node until the controller moves
                // it, and its loop would boot the guest here again.
                : MigrationDecider.none(null, !st.getPhase().terminal());
        }
        return switch (st.getPhase()) {
            case Pending, Scheduling -> MigrationDecider.none(null, false);
            case TargetReady -> startCopy(in, knobs);
            case Migrating -> watchCopy(in);
            case Failed, Succeeded -> undo(in, copy);
        };
    }

    private static MigrationDecision startCopy(MigrationInput in, Knobs knobs) {
        DomainMigrationStatus st = in.status();
        if (in.observed() == null) {
            return MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.SOURCE_LOST, "the domain "
                + st.getDomainName() + " is gone from " + in.node() + " before the copy started; its DomainConfig "
                + "decides what runs next", in.now()), true);
        }
        if (in.progress().state() != MigrationProgress.State.NONE && in.progress().state() != MigrationProgress.State.FAILED) {
            // The copy was started by an agent that died before it could record so: its deadline counts from now.
            return MigrationDecider.none(copying(st, in), true);
        }
        if (!in.observed().state().isAlive()) {
            return MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.DOMAIN_NOT_RUNNING, "the domain "
                + st.getDomainName() + " is " + in.observed().state() + " on " + in.node() + ", not running: only a "
                + "running domain is moved live; start it and create a new DomainMigration", in.now()), true);
        }
        String[] hostPort = splitAddress(st.getTargetAddress());
        if (hostPort == null) {
            return MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.TARGET_PREPARE_FAILED,
                "status.targetAddress " + st.getTargetAddress() + " is not host:port", in.now()), true);
        }
        return MigrationDecider.act(new MigrationOperations.MigrateOut(st.getDomainName(), hostPort[0],
            Integer.parseInt(hostPort[1])), copying(st, in), MigrationConditions.COPY_FAILED);
    }

    /** Phase Migrating, with the copy's start (spec.completionTimeoutPerGiB counts from it). */
    private static DomainMigrationStatus copying(DomainMigrationStatus st, MigrationInput in) {
        DomainMigrationStatus s = MigrationStatusEdit.phase(st, MigrationPhase.Migrating);
        s.setCopyStartTime(Times.rfc3339(in.now()));
        return s;
    }

    private static MigrationDecision watchCopy(MigrationInput in) {
        DomainMigrationStatus st = in.status();
        MigrationProgress p = in.progress();
        return switch (p.state()) {
            case ACTIVE -> {
                DomainMigrationStatus expired = CopyDeadlineRules.expired(in);
                yield expired == null ? MigrationDecider.wait(MigrationDecider.COPY_POLL, true)
                    : MigrationDecider.none(expired, true);
            }
            case COMPLETED -> MigrationDecider.none(handover(st, p, in), true);
            case FAILED -> MigrationDecider.none(copyFailed(st, p, in), true);
            case NONE -> in.observed() == null
                ? MigrationDecider.none(MigrationStatusEdit.failed(st, MigrationConditions.SOURCE_LOST, "the domain "
                    + st.getDomainName() + " vanished from " + in.node() + " during the copy; its DomainConfig decides "
                    + "what runs next", in.now()), true)
                : startCopy(in, null);
        };
    }

    /** The copy failed before the hand-over: the guest stays here; the status says how long the copy ran. */
    private static DomainMigrationStatus copyFailed(DomainMigrationStatus st, MigrationProgress p, MigrationInput in) {
        // QEMU 7.2 gives no total-time for a failed copy (MigrationCrashE2E): then the time since the migration started.
        long ran = p.totalMillis() > 0 || st.getStartTime() == null ? p.totalMillis()
            : Math.max(0, java.time.Duration.between(java.time.Instant.parse(st.getStartTime()), in.now()).toMillis());
        DomainMigrationStatus s = MigrationStatusEdit.failed(st, MigrationConditions.COPY_FAILED, "the copy to "
            + st.getTargetNode() + " failed after " + ran + " ms: " + p.error() + "; the domain keeps running on "
            + in.node(), in.now());
        s.setMigrationTimeMillis(ran);
        return s;
    }

    /** The commit point: from this write on the guest is the target's. */
    private static DomainMigrationStatus handover(DomainMigrationStatus st, MigrationProgress p, MigrationInput in) {
        DomainMigrationStatus s = st.copy();
        s.setHandoverTime(Times.rfc3339(in.now()));
        s.setMigrationTimeMillis(p.totalMillis());
        s.setDowntimeMillis(p.downtimeMillis());
        return MigrationStatusEdit.withCondition(s, MigrationConditions.HANDED_OVER, Conditions.TRUE,
            MigrationConditions.COPY_COMPLETED, "the copy completed in " + p.totalMillis() + " ms (" + p.downtimeMillis()
                + " ms stopped); the guest is " + st.getTargetNode() + "'s now", in.now());
    }

    /** Failed before the hand-over: the guest stays here, running. */
    private static MigrationDecision undo(MigrationInput in, MigrationProgress.State copy) {
        String name = in.status().getDomainName();
        if (copy == MigrationProgress.State.ACTIVE) {
            return MigrationDecider.act(new MigrationOperations.CancelMigration(name), null, null);
        }
        if (copy == MigrationProgress.State.COMPLETED && in.observed() != null && in.observed().state().paused()) {
            return MigrationDecider.act(new MigrationOperations.ResumeSource(name), null, null);
        }
        return MigrationDecider.none(null, false);
    }

    /** {@code host:port} (an IPv6 host in brackets) as its two parts, or null. */
    static String[] splitAddress(String address) {
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return null;
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5 || Integer.parseInt(port) > 65535) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, port};
    }
}
