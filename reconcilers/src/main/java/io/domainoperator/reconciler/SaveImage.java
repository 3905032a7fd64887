package io.domainoperator.reconciler;

import java.time.Instant;
import java.util.Objects;

/**
 * Issue 18: a domain's save image, as the journal knows it. The file lives in the agent's save directory under
 * {@code path} (a name relative to it); the engine decides the names, the agent resolves them. An image is never
 * deleted before a restore from it succeeded, and one a restore failed on is moved aside, never deleted.
 *
 * @param path      the image's file name in the save directory (for {@link State#SET_ASIDE}, the name it was moved to)
 * @param sizeBytes its size once the save succeeded; null while saving
 * @param sha256    its SHA-256 once the save succeeded, checked before a restore; null while saving
 * @param savedAt   when the save was asked for
 * @param cause     why it was saved
 * @param state     where the image is in its life
 * @param failure   for {@link State#SET_ASIDE}: why the restore failed (the domain then booted afresh); for
 *                  {@link State#SAVING} and {@link State#SAVE_FAILED}: why the save failed, when it was journaled
 */
public record SaveImage(String path, Long sizeBytes, String sha256, Instant savedAt, Cause cause, State state,
                        String failure) {

    /** Why the guest was saved. */
    public enum Cause {
        /** The node shut down and spec.onHostShutdown is Save. */
        HOST_SHUTDOWN,
        /** spec.desiredState is Suspended. */
        SUSPEND
    }

    /** Where an image is in its life. */
    public enum State {
        /** The save was journaled and may or may not have happened: a complete image may be there, or none. */
        SAVING,
        /** The save succeeded: the image holds the guest, with its size and checksum known. */
        SAVED,
        /**
         * A restore from it succeeded and the guest was set running: the image no longer holds the guest (the guest's
         * disks have moved on since), so it is only removed, never restored again, whatever becomes of the domain.
         */
        RESUMED,
        /** A restore from it succeeded and the guest runs again; the file was removed. Kept for status only. */
        RESTORED,
        /** A restore from it failed; the file was moved to {@code path} and the domain booted afresh. */
        SET_ASIDE,
        /**
         * The save failed or did not finish ({@code failure} says why when it was journaled): what it wrote was
         * removed, the guest was not saved and ran on or booted afresh. Kept for status only.
         */
        SAVE_FAILED
    }

    public SaveImage {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(state, "state");
    }

    /** The image may hold the guest: it must be restored (or set aside), never lost. */
    public boolean holdsGuest() {
        return state == State.SAVING || state == State.SAVED;
    }

    /** A restore from it succeeded and the guest ran since: the file is stale and still to be removed. */
    public boolean stale() {
        return state == State.RESUMED;
    }

    SaveImage with(State newState) {
        return new SaveImage(path, sizeBytes, sha256, savedAt, cause, newState, failure);
    }

    SaveImage withFailure(String why) {
        return new SaveImage(path, sizeBytes, sha256, savedAt, cause, state, why);
    }
}
