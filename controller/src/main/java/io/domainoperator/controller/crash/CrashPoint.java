package io.domainoperator.controller.crash;

import io.domainoperator.reconciler.Operation;
import java.util.Locale;

/**
 * Every boundary at which the test-only {@link CrashSwitch} can kill the agent: before and after each journal
 * write, between the intent of each operation (journaled) and its effect, between the effect and the journaled
 * outcome, inside a disk copy (written, not yet given its final name), and around each status write.
 */
public enum CrashPoint {
    JOURNAL_WRITE_BEFORE,
    JOURNAL_WRITE_AFTER,
    /** An outcome written behind ({@code FileJournalStore#saveSoon}) is in memory and not yet on disk. */
    JOURNAL_OUTCOME_HELD,
    PREPARE_DISKS_BEFORE,
    /** The copy is complete under its temporary name and not yet renamed to its final one. */
    DISK_COPY_UNPUBLISHED,
    PREPARE_DISKS_AFTER,
    ASSIGN_ADAPTERS_BEFORE,
    ASSIGN_ADAPTERS_AFTER,
    SAVE_TO_IMAGE_BEFORE,
    SAVE_TO_IMAGE_AFTER,
    RESTORE_FROM_IMAGE_BEFORE,
    RESTORE_FROM_IMAGE_AFTER,
    REMOVE_IMAGE_BEFORE,
    REMOVE_IMAGE_AFTER,
    SET_ASIDE_IMAGE_BEFORE,
    SET_ASIDE_IMAGE_AFTER,
    REMOVE_SET_ASIDE_IMAGES_BEFORE,
    REMOVE_SET_ASIDE_IMAGES_AFTER,
    CONFIRM_SAVED_IMAGE_BEFORE,
    CONFIRM_SAVED_IMAGE_AFTER,
    CREATE_PAUSED_BEFORE,
    CREATE_PAUSED_AFTER,
    UNPAUSE_BEFORE,
    UNPAUSE_AFTER,
    SHUTDOWN_BEFORE,
    SHUTDOWN_AFTER,
    DESTROY_BEFORE,
    DESTROY_AFTER,
    RELEASE_ADAPTERS_BEFORE,
    RELEASE_ADAPTERS_AFTER,
    CLEANUP_DISKS_BEFORE,
    CLEANUP_DISKS_AFTER,
    /** Issue 18: a live resize, a pause and a resume by spec.desiredState, each around its effect. */
    RESIZE_LIVE_BEFORE,
    RESIZE_LIVE_AFTER,
    PAUSE_BEFORE,
    PAUSE_AFTER,
    RESUME_BEFORE,
    RESUME_AFTER,
    STATUS_WRITE_BEFORE,
    STATUS_WRITE_AFTER,
    // Live migration's steps (MigrationAgent): the agent dies between a step and the status write that records it.
    PREPARE_INCOMING_BEFORE,
    PREPARE_INCOMING_AFTER,
    MIGRATE_OUT_BEFORE,
    MIGRATE_OUT_AFTER,
    RESUME_INCOMING_BEFORE,
    RESUME_INCOMING_AFTER,
    CANCEL_MIGRATION_BEFORE,
    CANCEL_MIGRATION_AFTER,
    RESUME_SOURCE_BEFORE,
    RESUME_SOURCE_AFTER,
    DESTROY_COPY_BEFORE,
    DESTROY_COPY_AFTER,
    /** The source's copy completed, its hand-over (the migration's commit point) not yet written. */
    HANDOVER_WRITE_BEFORE,
    /** The hand-over is on record; the source agent has not yet acted on it. */
    HANDOVER_WRITE_AFTER;

    /** The point between an operation's journaled intent and its effect; null for operations with no effect. */
    public static CrashPoint before(Operation op) {
        return of(op, "_BEFORE");
    }

    /** The point between an operation's effect and its journaled outcome; null for operations with no effect. */
    public static CrashPoint after(Operation op) {
        return of(op, "_AFTER");
    }

    private static CrashPoint of(Operation op, String suffix) {
        if (op instanceof Operation.None || op instanceof Operation.ForgetDomain) {
            return null;
        }
        // CreatePaused -> CREATE_PAUSED: a new operation without a point here fails the test that walks them all.
        String snake = op.kind().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        return valueOf(snake + suffix);
    }
}
