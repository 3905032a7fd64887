package io.domainoperator.reconciler;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveSetAsideImages;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SetAsideImage;
import java.time.Instant;
import java.util.Objects;

/**
 * What the journal records around save and restore ({@link Operation.SaveRestore}), kept apart from {@link Journal}'s
 * own withers. The image is journaled before the save starts ({@link SaveImage.State#SAVING}), so that an agent killed
 * during the save finds it, and its size and checksum after ({@link #checked}).
 */
public final class SaveImageJournal {
    private SaveImageJournal() {
    }

    static void intent(Journal j, JournalEdit e, Operation.SaveRestore op, Instant now) {
        switch (op) {
            case SaveToImage s -> e.saveImage = new SaveImage(s.image(), null, null, now, s.cause(),
                SaveImage.State.SAVING, null);
            case RestoreFromImage r -> {
                // As for a create: name and uuid first, so that the next run finds a domain the restore made.
                e.domainName = r.name();
                e.uuid = r.uuid();
                e.domainId = null;
                e.pausedByUs = false;
                // And what it builds from: a restore whose outcome a kill lost is adopted with it, not with a spec
                // changed since (ConvergenceProperties seed 5883306026671589274: vcpus changed during the restart
                // were taken for applied, and never were). Unless a domain of this journal was confirmed built and
                // never seen to end: this restore was then decided on a listing older than that domain, the name being
                // taken it is refused, and that domain keeps what it was built from (ConvergenceProperties: a vCPU
                // change made meanwhile was taken for applied).
                if (j.domainId() == null || j.startedWith() == null) {
                    e.startedWith = StartedSpec.of(r.spec(), r.uuid());
                }
            }
            case RemoveImage r -> {
                if (r.journaledComplete()) {
                    resumed(j, e); // removed because the restored guest runs: stale from now on, whatever happens
                }
            }
            case SetAsideImage a -> { }
            case RemoveSetAsideImages r -> { }
            case ConfirmSavedImage c -> { }
        }
    }

    static void success(Journal j, JournalEdit e, Operation.SaveRestore op, Instant now, DomainInfo info) {
        switch (op) {
            case SaveToImage s -> {
                // The save ended the domain: the journal says what a destroy's success says.
                e.domainEnded(j);
                e.startedWith = null;
                SaveImage was = j.saveImage();
                e.saveImage = was != null && was.path().equals(s.image()) ? was.with(SaveImage.State.SAVED)
                    : new SaveImage(s.image(), null, null, now, s.cause(), SaveImage.State.SAVED, null);
            }
            case RestoreFromImage r -> {
                SaveImage was = j.saveImage();
                if (was != null && was.path().equals(r.image()) && was.state() == SaveImage.State.SAVING) {
                    // The save's outcome was never journaled, but the restore proves the image complete.
                    e.saveImage = was.with(SaveImage.State.SAVED);
                }
                e.domainName = r.name();
                e.uuid = r.uuid();
                e.domainId = info == null ? null : info.domainId();
                e.pausedByUs = true; // rule 2: ours to unpause, as after a create
                e.startedWith = StartedSpec.of(r.spec(), r.uuid());
                e.shutdownRequestedAt = null;
                e.shutdownAsked = false;
                e.exit = null;
            }
            case RemoveImage r -> {
                SaveImage was = j.saveImage();
                if (was != null && was.path().equals(r.image())) {
                    // Only a save that completed can have been restored; any other image was a save's leftover.
                    e.saveImage = was.state() == SaveImage.State.SAVED || was.stale()
                        ? was.with(SaveImage.State.RESTORED) : was.with(SaveImage.State.SAVE_FAILED);
                }
            }
            case SetAsideImage a -> {
                SaveImage was = j.saveImage();
                e.saveImage = was == null ? null : new SaveImage(a.asideAs(), was.sizeBytes(), was.sha256(),
                    was.savedAt(), was.cause(), SaveImage.State.SET_ASIDE, a.cause());
            }
            case RemoveSetAsideImages r -> e.saveImage = null;
            case ConfirmSavedImage c -> {
                // The save happened after all: the journal says what its success would have said (the agent adds the
                // size and checksum it measured, as after a save).
                e.domainEnded(j);
                e.startedWith = null;
                SaveImage was = j.saveImage();
                if (was != null && was.path().equals(c.image())) {
                    e.saveImage = new SaveImage(was.path(), null, null, was.savedAt(), was.cause(), SaveImage.State.SAVED,
                        null);
                }
            }
        }
    }

    /**
     * The guest restored from the saved image is set running (an unpause's intent, before its effect): from then on
     * its disks move on, and restoring the image again would bring back memory that no longer matches them. So the
     * image is stale before the guest runs: should the domain then crash, or the image's removal fail, it boots
     * afresh, never from the image. (Should the unpause never happen and the paused domain vanish, the saved state is
     * lost as in a crash: a boot, never a guest out of step with its disks.)
     */
    static void resumed(Journal j, JournalEdit e) {
        SaveImage was = j.saveImage();
        if (was != null && was.state() == SaveImage.State.SAVED) {
            e.saveImage = was.with(SaveImage.State.RESUMED);
        }
    }

    /** A save that failed keeps its cause beside the image, for the status once the failure is no longer the last. */
    static void failure(Journal j, JournalEdit e, Operation.SaveRestore op, String error) {
        SaveImage was = j.saveImage();
        if (op instanceof SaveToImage s && was != null && was.path().equals(s.image())
            && was.state() == SaveImage.State.SAVING) {
            e.saveImage = was.withFailure(error);
        }
        if (op instanceof ConfirmSavedImage c && was != null && was.path().equals(c.image()) && was.holdsGuest()) {
            // No complete image (or the domain still runs): the save did not finish, as when it failed.
            e.saveImage = new SaveImage(was.path(), null, null, was.savedAt(), was.cause(), SaveImage.State.SAVING,
                "the save did not finish: " + error);
        }
    }

    /** The save succeeded and the agent measured the image: its size and checksum, checked before a restore. */
    public static Journal checked(Journal j, long sizeBytes, String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        SaveImage was = j.saveImage();
        if (was == null) {
            return j;
        }
        JournalEdit e = j.edit();
        e.saveImage = new SaveImage(was.path(), sizeBytes, sha256, was.savedAt(), was.cause(), was.state(), was.failure());
        return e.build();
    }
}
