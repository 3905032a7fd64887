package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.HostShutdownPolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveSetAsideImages;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SetAsideImage;
import java.util.List;
import java.util.Optional;

/**
 * Rule 16 (issue 18): save to disk and restore, xendomains' save directory done right. A guest is saved at the node's
 * shutdown when spec.onHostShutdown is Save ({@link #atHostShutdown}) or while spec.desiredState is Suspended; a saved
 * guest is restored, not booted, when it is to run again (then unpaused as after a create, then its image removed). A
 * restore that fails falls back to a boot, and the image is moved aside first, never deleted; an image is removed only
 * once the guest it holds runs again. A guest halted while saved (activate false, deletion) has its image set aside.
 */
public final class SaveRestoreRules {
    /** Condition type: how the guest's last save image ended (restored, or set aside after a failed restore). */
    static final String RESTORED_CONDITION = "Restored";
    static final String RESTORED = "Restored";
    static final String RESTORE_FAILED = "RestoreFailed";
    /** The last save failed or did not finish: the guest was not saved (condition Restored False, warning Event). */
    static final String SAVE_FAILED = "SaveFailed";
    static final String RESTORING = "Restoring";
    static final String SAVING = "Saving";
    static final String SAVED = "Saved";
    /** The image a guest was restored from is removed after the guest ran from it and is gone again (issue 18). */
    static final String STALE_IMAGE = "StaleImageRemoved";

    private SaveRestoreRules() {
    }

    /** The image's file name in the save directory: one per DomainConfig (its uuid), free again once restored. */
    static String imageName(String uuid) {
        return uuid + ".save";
    }

    /**
     * At the node's shutdown (the host unit's halt-all): the save to make instead of a halt, or empty when the domain
     * halts (spec.onHostShutdown Halt, adapters held, no domain that runs). Also halted, as ConvergenceProperties
     * found: a guest we asked to shut down (a restart to apply the spec; saved half-way, it would go on shutting down
     * once restored, and a failed save would leave it paused for good), and one whose earlier image is still to be
     * removed (the new save goes to the same file, and an agent killed before the save wrote it would take the old
     * file for the new save and restore a guest out of step with its disks).
     */
    public static Optional<SaveToImage> atHostShutdown(DomainConfigSpec spec, Journal journal, DomainInfo observed) {
        SaveImage earlier = journal.saveImage();
        if (spec == null || spec.onHostShutdownOrDefault() != HostShutdownPolicy.Save || !spec.getAdapters().isEmpty()
            || observed == null || !observed.ours() || observed.state().hasStopped() || observed.state().dying()
            || journal.uuid() == null || journal.pausedByUs() || journal.shutdownAsked()
            || earlier != null && (earlier.stale() || earlier.holdsGuest())) {
            return Optional.empty();
        }
        return Optional.of(new SaveToImage(observed.name(), imageName(journal.uuid()), SaveImage.Cause.HOST_SHUTDOWN));
    }

    private static boolean suspendWished(Situation s) {
        return s.spec.desiredStateOrDefault() == DesiredState.Suspended;
    }

    /** No domain is observed and spec.desiredState is Suspended: nothing boots; the phase says what is saved. */
    static Verdict absentWhileSuspended(Situation s) {
        if (!suspendWished(s)) {
            return null;
        }
        SaveImage img = s.journal.saveImage();
        if (img != null && img.stale()) {
            return removeStale(s, img, DomainPhase.Suspended, Reasons.SUSPENDED, "nothing is saved: ");
        }
        if (img != null && img.state() == SaveImage.State.SAVING && img.failure() != null) {
            return Verdict.await(DomainPhase.Suspended, Reasons.SUSPENDED, "no domain runs and the guest is not saved: "
                + "its save " + cause(img) + " failed (" + img.failure() + "); set spec.desiredState to Running to boot "
                + "it", s.knobs.pollInterval());
        }
        if (img != null && img.holdsGuest() && img.sha256() == null) {
            return confirm(s, img, DomainPhase.Suspended, Reasons.SUSPENDED, "");
        }
        if (img != null && img.holdsGuest()) {
            return Verdict.await(DomainPhase.Suspended, Reasons.SUSPENDED, "the guest is saved to " + img.path()
                + " in the agent's save directory (" + describe(img) + "); set spec.desiredState to Running to restore"
                + " it", s.knobs.pollInterval());
        }
        return Verdict.await(DomainPhase.Suspended, Reasons.SUSPENDED, "no domain runs and nothing is saved (it was not"
            + " running when suspended); set spec.desiredState to Running to boot it", s.knobs.pollInterval());
    }

    /**
     * The domain is to be created: restore it from its image instead when one holds the guest, or, when the last
     * restore from that image failed, move the image aside first and let the boot go on (null: boot as usual).
     */
    static Verdict restoreInsteadOfCreate(Situation s, String uuid, List<String> pciAddresses) {
        Journal j = s.journal;
        SaveImage img = j.saveImage();
        if (img != null && img.stale()) {
            return removeStale(s, img, DomainPhase.Booting, STALE_IMAGE, "");
        }
        if (img == null || !img.holdsGuest()) {
            return null;
        }
        Journal.Failure f = j.lastFailure();
        boolean sinceTheSave = f != null && (img.savedAt() == null || !f.at().isBefore(img.savedAt()));
        if (img.state() == SaveImage.State.SAVING && img.failure() != null
            && !(sinceTheSave && f.operation().equals(RemoveImage.KIND))) {
            // The save failed (at the node's shutdown the halt then ended the domain): nothing to restore. What the
            // save wrote goes; should the node find a complete image after all, it refuses, and the restore below
            // uses it.
            return Verdict.act(new RemoveImage(img.path(), s.spec.getDisplayName(), false), DomainPhase.Booting,
                SAVE_FAILED, "the save of domain " + s.spec.getDisplayName() + " " + cause(img) + " (at "
                    + Times.rfc3339(img.savedAt()) + ") failed: " + img.failure() + "; the guest was not saved and "
                    + "boots afresh; removing what the save wrote");
        }
        if (sinceTheSave && f.operation().equals(RestoreFromImage.KIND)) {
            // Named after the failure, so that a retry after a crash moves the same file to the same name.
            String aside = img.path() + ".failed-" + f.at().getEpochSecond();
            return Verdict.act(new SetAsideImage(img.path(), aside, f.error()), DomainPhase.Booting, RESTORE_FAILED,
                "restoring from " + img.path() + " failed: " + f.error() + "; the image is kept as " + aside
                    + " in the agent's save directory and the domain boots afresh");
        }
        if (img.sha256() == null) {
            return confirm(s, img, DomainPhase.Booting, RESTORING, " before restoring from it");
        }
        PinRules.pinForCreate(s);
        return Verdict.act(new RestoreFromImage(s.spec.getDisplayName(), uuid, s.spec, pciAddresses, img.path(),
            img.sha256()), DomainPhase.Booting, RESTORING, "restoring domain " + s.spec.getDisplayName() + " from "
            + img.path() + " (" + describe(img) + ") instead of booting it");
    }

    /**
     * No domain is seen and the image's checksum is unknown: the agent died after the save and before recording it
     * (or the removal of an image whose save failed was refused: a complete one is there after all). The save is
     * recorded done once the agent found the image complete and measured it, so that the restore checks it as every
     * restore does, and the save's intent is not left in flight (CrashMatrixIT's SAVE_TO_IMAGE_AFTER@SUSPEND).
     */
    private static Verdict confirm(Situation s, SaveImage img, DomainPhase phase, String reason, String purpose) {
        return Verdict.act(new ConfirmSavedImage(s.hypervisorName(), img.path()), phase, reason, "the save of domain "
            + s.hypervisorName() + " to " + img.path() + " (" + describe(img) + ") was not recorded as finished and no"
            + " domain runs: checking the image is complete and recording its checksum" + purpose);
    }

    /**
     * The domain runs: an image still on record is removed (the restore from it succeeded, or a save that did not
     * finish left a partial one); then, with spec.desiredState Suspended, the guest is saved. Null: other rules go on.
     */
    static Verdict running(Situation s, DomainInfo d) {
        SaveImage img = s.journal.saveImage();
        if (img != null && (img.holdsGuest() || img.stale())) {
            boolean restored = img.state() == SaveImage.State.SAVED || img.stale();
            return Verdict.act(new RemoveImage(img.path(), d.name(), restored), DomainPhase.Running,
                restored ? RESTORED : SAVING,
                restored ? "domain " + d.name() + " (id " + d.domainId() + ") was restored from " + img.path()
                    + " (" + describe(img) + ") and runs on where it was saved; removing the image"
                    : "the save of domain " + d.name() + " to " + img.path() + " did not finish and the domain runs;"
                    + " removing what was written");
        }
        // A guest still acting on our shutdown request (a restart to apply the spec) is let finish it first: saved
        // half-way, it would go on shutting down once restored.
        return suspendWished(s) && !DesiredStateRules.shutdownUnderWay(s) ? save(s, d) : null;
    }

    /**
     * The domain is paused and its boot is complete. With an image saved, the domain can only be the guest restored
     * from it (a save ends the domain, and nothing is created while an image holds the guest): a restore whose outcome
     * was lost, a repeated restore refused because the first had worked, or an unpause that failed. It is unpaused,
     * and the image goes once it runs. An image still being saved means a save that did not finish: the guest is
     * resumed (or, kept Paused or Suspended, the partial image goes first). With spec.desiredState Suspended the
     * guest is saved as it is. Null: other rules go on.
     */
    static Verdict paused(Situation s, DomainInfo d) {
        Journal.Intent last = s.journal.intent();
        SaveImage img = s.journal.saveImage();
        DesiredState wish = s.spec.desiredStateOrDefault();
        if (img != null && img.stale() && last != null && last.operation().equals("Unpause")
            && last.outcome() != Journal.Outcome.SUCCEEDED) {
            // Its unpause was asked and not confirmed (the agent killed around it): ask again before the image goes.
            return Verdict.act(new Operation.Unpause(d.name()), DomainPhase.Booting,
                io.domainoperator.api.v1alpha1.Conditions.BOOTING, "unpausing domain " + d.name() + " (id "
                    + d.domainId() + "), restored from " + img.path());
        }
        if (img != null && img.stale()) {
            return Verdict.act(new RemoveImage(img.path(), d.name(), true), DomainPhase.Paused, RESTORED, "domain "
                + d.name() + " (id " + d.domainId() + ") was restored from " + img.path() + " and ran since; removing "
                + "the image");
        }
        if (img != null && img.state() == SaveImage.State.SAVED) {
            return Verdict.act(new Operation.Unpause(d.name()), DomainPhase.Booting,
                io.domainoperator.api.v1alpha1.Conditions.BOOTING, "unpausing domain " + d.name() + " (id "
                    + d.domainId() + "), restored from " + img.path());
        }
        if (img != null && img.state() == SaveImage.State.SAVING) {
            if (wish == DesiredState.Running) {
                return resumeUnfinishedSave(d);
            }
            return Verdict.act(new RemoveImage(img.path(), d.name(), false), DomainPhase.Paused, SAVING, "the save of domain "
                + d.name() + " to " + img.path() + " did not finish and the domain holds the guest; removing what was "
                + "written");
        }
        if (wish == DesiredState.Suspended) {
            return save(s, d);
        }
        if (wish == DesiredState.Running && last != null && (last.operation().equals(SaveToImage.KIND)
            || last.operation().equals(RemoveImage.KIND) && saveFailed(s.journal))) {
            // A failed save leaves the vCPUs stopped; removing what it wrote (decided on a look that still showed the
            // guest running) does not start them again (ConvergenceProperties, seed -4592724346387412869).
            return resumeUnfinishedSave(d);
        }
        return null;
    }

    private static boolean saveFailed(Journal j) {
        return j.lastFailure() != null && j.lastFailure().operation().equals(SaveToImage.KIND);
    }

    private static Verdict resumeUnfinishedSave(DomainInfo d) {
        return Verdict.act(new Operation.Resume(d.name()), DomainPhase.Paused, DesiredStateRules.RESUMING,
            "resuming domain " + d.name() + " (id " + d.domainId() + "): its save did not finish and the spec "
                + "does not ask for it to be suspended");
    }

    private static Verdict save(Situation s, DomainInfo d) {
        if (!s.spec.getAdapters().isEmpty()) {
            return Verdict.await(d.state().paused() ? DomainPhase.Paused : DomainPhase.Running,
                io.domainoperator.api.v1alpha1.Conditions.INVALID_SPEC, "spec.desiredState: Suspended cannot be used "
                    + "with spec.adapters (a passed-through device's state cannot be saved); use Paused",
                s.knobs.pollInterval());
        }
        String uuid = s.journal.uuid() != null ? s.journal.uuid() : s.uuidInUse();
        return Verdict.act(new SaveToImage(d.name(), imageName(uuid), SaveImage.Cause.SUSPEND),
            d.state().paused() ? DomainPhase.Paused : DomainPhase.Running, SAVING, "saving domain " + d.name()
                + " (id " + d.domainId() + ") to " + imageName(uuid) + " in the agent's save directory as "
                + "spec.desiredState Suspended asks; it ends once saved and is restored when set to Running");
    }

    /** A halt is wished and no domain is left: an image that holds the guest is moved aside, never deleted. */
    static Verdict haltedWhileSaved(Situation s, String reason) {
        SaveImage img = s.journal.saveImage();
        if (img != null && img.stale()) {
            return removeStale(s, img, DomainPhase.Halting, reason, "");
        }
        if (img == null || !img.holdsGuest()) {
            return null;
        }
        String aside = img.path() + ".halted-" + (img.savedAt() == null ? 0 : img.savedAt().getEpochSecond());
        return Verdict.act(new SetAsideImage(img.path(), aside, "halted while saved"), DomainPhase.Halting, reason,
            "the domain is halted while saved; its image is kept as " + aside + " in the agent's save directory and "
                + "it boots afresh when activated again");
    }

    /**
     * The DomainConfig is deleted and its domain halted: the images set aside for it go with it, unless
     * spec.keepDisksOnDelete keeps them as it keeps the disk copies. Decided while the journal still records an image
     * (every save leaves a record until the journal is forgotten); never while the DomainConfig is not deleted.
     */
    static Verdict deletedWithImages(Situation s, String reason) {
        SaveImage img = s.journal.saveImage();
        if (!s.desired.deletionRequested() || s.spec.keepDisksOnDeleteOrDefault() || img == null || img.holdsGuest()) {
            return null;
        }
        String uuid = s.journal.uuid() != null ? s.journal.uuid() : s.uuidInUse();
        return Verdict.act(new RemoveSetAsideImages(imageName(uuid)), DomainPhase.Halting, reason, "removing the "
            + "images set aside for this domain (" + imageName(uuid) + ".*) in the agent's save directory; set "
            + "spec.keepDisksOnDelete to keep them");
    }

    /**
     * The guest restored from the image ran since and no domain holds it now (it crashed, or was halted, before the
     * image was removed): the image is stale, its memory out of step with the disks, and goes; the domain boots afresh.
     */
    private static Verdict removeStale(Situation s, SaveImage img, DomainPhase phase, String reason, String prefix) {
        return Verdict.act(new RemoveImage(img.path(), s.spec.getDisplayName(), true), phase, reason, prefix
            + "domain " + s.spec.getDisplayName() + " was restored from " + img.path() + " and ran since, so the image "
            + "is stale (the guest's disks moved on): removing it; the domain is never restored from it again");
    }

    /** The Restored condition: how the last save image ended; none before the first save. */
    static void condition(ConditionSet c, Situation s) {
        SaveImage img = s.journal.saveImage();
        if (img == null) {
            return;
        }
        switch (img.state()) {
            case RESUMED -> c.set(RESTORED_CONDITION, true, RESTORED, "restored from the image saved at "
                + Times.rfc3339(img.savedAt()) + " (" + cause(img) + "), not rebooted; the image is being removed");
            case RESTORED -> c.set(RESTORED_CONDITION, true, RESTORED, "restored from the image saved at "
                + Times.rfc3339(img.savedAt()) + " (" + cause(img) + "), not rebooted; the image was removed");
            case SET_ASIDE -> c.set(RESTORED_CONDITION, false, RESTORE_FAILED, (img.failure() == null
                || img.failure().equals("halted while saved") ? "the domain was halted while saved" : "restoring the "
                + "image saved at " + Times.rfc3339(img.savedAt()) + " failed: " + img.failure())
                + "; the image is kept as " + img.path() + " in the agent's save directory and the domain booted afresh");
            case SAVING, SAVED -> {
                if (img.state() == SaveImage.State.SAVING && img.failure() != null) {
                    c.set(RESTORED_CONDITION, false, SAVE_FAILED, "the save " + cause(img) + " at "
                        + Times.rfc3339(img.savedAt()) + " failed: " + img.failure() + "; the guest is not saved");
                } else {
                    c.set(RESTORED_CONDITION, false, SAVED, "saved to " + img.path() + " (" + describe(img)
                        + "); restored when the domain is to run again");
                }
            }
            case SAVE_FAILED -> c.set(RESTORED_CONDITION, false, SAVE_FAILED, "the save " + cause(img) + " at "
                + Times.rfc3339(img.savedAt()) + (img.failure() == null ? " did not finish" : " failed: "
                + img.failure()) + "; the guest was not saved (it ran on, or booted afresh) and what the save wrote "
                + "was removed");
        }
    }

    /** Events that go with this rule's operations (first attempts only, as {@link StatusBuilder} calls it). */
    static void events(Situation s, Verdict v) {
        switch (v.operation()) {
            case SaveToImage save -> s.event(DomainEvent.normal(SAVING, v.message()));
            case RemoveImage r when RESTORED.equals(v.reason()) -> s.event(DomainEvent.normal(RESTORED, v.message()));
            case SetAsideImage a when RESTORE_FAILED.equals(v.reason()) ->
                s.event(DomainEvent.warning(RESTORE_FAILED, v.message()));
            case RemoveImage r when SAVE_FAILED.equals(v.reason()) -> s.event(DomainEvent.warning(SAVE_FAILED, v.message()));
            case RemoveImage r when STALE_IMAGE.equals(v.reason()) -> s.event(DomainEvent.normal(STALE_IMAGE, v.message()));
            default -> {
            }
        }
        var last = s.desired.lastStatus();
        if (v.phase() == DomainPhase.Suspended && (last == null || last.getPhase() != DomainPhase.Suspended)) {
            s.event(DomainEvent.normal(Reasons.SUSPENDED, v.message()));
        }
    }

    private static String describe(SaveImage img) {
        String when = "saved at " + Times.rfc3339(img.savedAt()) + ", " + cause(img);
        return img.sizeBytes() == null ? when + ", outcome not recorded" : when + ", " + img.sizeBytes() + " bytes";
    }

    private static String cause(SaveImage img) {
        return img.cause() == SaveImage.Cause.HOST_SHUTDOWN ? "at the node's shutdown" : "suspended by spec";
    }
}
