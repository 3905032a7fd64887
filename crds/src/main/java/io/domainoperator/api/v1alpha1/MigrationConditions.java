package io.domainoperator.api.v1alpha1;

/** Condition types and reasons of {@link DomainMigrationStatus}, and the node maintenance label drain reads. */
public final class MigrationConditions {
    // Types
    /** The target's incoming domain listens (True), or could not be prepared (False). */
    public static final String TARGET_PREPARED = "TargetPrepared";
    /** The source finished the copy and gave the domain to the target: from here on it runs only there. */
    public static final String HANDED_OVER = "HandedOver";
    /** The migration is over: True with reason Succeeded, False with the reason it failed. */
    public static final String COMPLETE = "Complete";

    // Reasons
    public static final String SUCCEEDED = "Succeeded";
    public static final String LISTENING = "Listening";
    public static final String COPY_COMPLETED = "CopyCompleted";
    /** The domain holds a passed-through adapter, which cannot follow it to another node. */
    public static final String NOT_LIVE_MIGRATABLE = "NotLiveMigratable";
    /** The DomainMigration's spec breaks a rule (a deadline out of range): the message names the field and the fix. */
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String DOMAIN_NOT_FOUND = "DomainConfigNotFound";
    public static final String DOMAIN_NOT_RUNNING = "DomainNotRunning";
    public static final String NO_TARGET = "NoTargetNode";
    public static final String TARGET_PREPARE_FAILED = "TargetPrepareFailed";
    public static final String COPY_FAILED = "CopyFailed";
    /** The copy ran past spec.completionTimeoutPerGiB and was cancelled: the domain stays on the source. */
    public static final String COPY_TIMED_OUT = "CopyTimedOut";
    /** The copy made no progress for spec.progressTimeout and was cancelled: the domain stays on the source. */
    public static final String NO_PROGRESS = "NoProgress";
    /** The target's incoming domain vanished before the hand-over: the domain stays on the source. */
    public static final String TARGET_LOST = "TargetLost";
    /** The source's domain vanished before the hand-over (it crashed or was destroyed during the copy). */
    public static final String SOURCE_LOST = "SourceLost";
    /** The backend of the node cannot migrate (the simulator). */
    public static final String UNSUPPORTED = "MigrationUnsupported";
    /** Another migration of the same DomainConfig is under way. */
    public static final String ALREADY_MIGRATING = "AlreadyMigrating";

    /** Node label that asks the cluster controller to move every domain off the node (with the node cordoned). */
    public static final String MAINTENANCE_LABEL = "domainoperator.io/maintenance";

    private MigrationConditions() {
    }
}
