package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.HostShutdownPolicy;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SetAsideImage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 16 (issue 18): save at the node's shutdown (spec.onHostShutdown Save) or by spec (desiredState Suspended);
 * restore instead of booting, unpause, then remove the image; a failed restore sets the image aside and boots; an
 * image is never removed before the guest it holds runs again.
 */
class Rule16SaveRestoreTest {
    private static final String IMAGE = UUID_TEXT + ".save";
    private static final DomainConfigSpec SUSPENDED = spec(s -> s.setDesiredState(DesiredState.Suspended));
    private static final DomainConfigSpec RUNNING = spec(s -> s.setDesiredState(DesiredState.Running));
    private static final Journal BOOTED = booted(spec(), 7, T0);
    private static final SaveToImage SAVE = new SaveToImage(NAME, IMAGE, SaveImage.Cause.SUSPEND);
    /** Saved, its outcome and checksum journaled. */
    private static final Journal SAVED = SaveImageJournal.checked(done(BOOTED, SAVE, at(5)), 4096, "ab12");
    /** The save's intent journaled, the agent killed before its outcome. */
    private static final Journal SAVING = BOOTED.withIntent(SAVE, at(5));
    private static final RestoreFromImage RESTORE = new RestoreFromImage(NAME, UUID_TEXT, spec(), List.of(), IMAGE,
        "ab12");
    private static final Journal RESTORED_PAUSED = SAVED.withIntent(RESTORE, at(20))
        .withSuccess(RESTORE, at(20), paused(9, 0));
    private static final Journal RESTORED_RUNNING = done(RESTORED_PAUSED, new Operation.Unpause(NAME), at(21));
    private static final Journal RESTORE_FAILED = SAVED.withIntent(RESTORE, at(20))
        .withFailure(RESTORE, "checksum mismatch: the image is corrupt", at(20));

    private static final SaveToImage SAVE_AT_SHUTDOWN = new SaveToImage(NAME, IMAGE, SaveImage.Cause.HOST_SHUTDOWN);
    /** The save at the node's shutdown failed (the halt then ended the domain): the next agent starts on this. */
    private static final Journal SAVE_FAILED = BOOTED.withIntent(SAVE_AT_SHUTDOWN, at(5))
        .withFailure(SAVE_AT_SHUTDOWN, "migration failed: No space left on device", at(6));
    private static final RemoveImage REMOVE_UNFINISHED = new RemoveImage(IMAGE, NAME, false);
    /** A save whose outcome was lost is confirmed on the node: the image complete, no domain alive. */
    private static final ConfirmSavedImage CONFIRM = new ConfirmSavedImage(NAME, IMAGE);
    /** ...the agent found the image complete and measured it. */
    private static final Journal CONFIRMED = SaveImageJournal.checked(done(SAVING, CONFIRM, at(20)), 4096, "cd34");
    /** ...the agent found no complete image (a partial one, or none). */
    private static final Journal NOT_CONFIRMED = SAVING.withIntent(CONFIRM, at(20))
        .withFailure(CONFIRM, "no complete save image " + IMAGE, at(20));

    private static Journal done(Journal j, Operation op, java.time.Instant t) {
        return j.withIntent(op, t).withSuccess(op, t, null);
    }

    static Stream<Arguments> rule16_table() {
        DomainInfo pausedAfterRunning = paused(7, 5_000_000_000L);
        String aside = IMAGE + ".failed-" + at(20).getEpochSecond();
        return Stream.of(
            row("running, Suspended wished: save", SUSPENDED, running(7), BOOTED, SAVE, DomainPhase.Running,
                SaveRestoreRules.SAVING),
            row("paused, Suspended wished: saved as it is", SUSPENDED, pausedAfterRunning, BOOTED, SAVE,
                DomainPhase.Paused, SaveRestoreRules.SAVING),
            row("saved and gone, Suspended: phase Suspended, nothing to do", SUSPENDED, null, SAVED,
                Operation.None.INSTANCE, DomainPhase.Suspended, Reasons.SUSPENDED),
            row("killed during the save, domain gone, Suspended: the image is confirmed complete and measured, still"
                + " Suspended", SUSPENDED, null, SAVING, CONFIRM, DomainPhase.Suspended, Reasons.SUSPENDED),
            row("...confirmed: Suspended, nothing to do", SUSPENDED, null, CONFIRMED, Operation.None.INSTANCE,
                DomainPhase.Suspended, Reasons.SUSPENDED),
            row("...confirmed, Running wished: restore, checking the measured checksum", RUNNING, null, CONFIRMED,
                new RestoreFromImage(NAME, UUID_TEXT, RUNNING, List.of(), IMAGE, "cd34"), DomainPhase.Booting,
                SaveRestoreRules.RESTORING),
            row("...no complete image, Suspended: Suspended, saying nothing is saved", SUSPENDED, null, NOT_CONFIRMED,
                Operation.None.INSTANCE, DomainPhase.Suspended, Reasons.SUSPENDED),
            row("...no complete image, Running wished: SaveFailed, what the save wrote goes", RUNNING, null,
                NOT_CONFIRMED, REMOVE_UNFINISHED, DomainPhase.Booting, SaveRestoreRules.SAVE_FAILED),
            row("saved, Running wished: restore, not boot", RUNNING, null, SAVED,
                new RestoreFromImage(NAME, UUID_TEXT, RUNNING, List.of(), IMAGE, "ab12"), DomainPhase.Booting,
                SaveRestoreRules.RESTORING),
            row("saved at the node's shutdown, the agent starts: restore", spec(), null, SAVED, RESTORE,
                DomainPhase.Booting, SaveRestoreRules.RESTORING),
            row("killed during the save, domain gone: the image is confirmed and measured before the restore", spec(),
                null, SAVING, CONFIRM, DomainPhase.Booting, SaveRestoreRules.RESTORING),
            row("...confirmed: restore, checking the measured checksum", spec(), null, CONFIRMED,
                new RestoreFromImage(NAME, UUID_TEXT, spec(), List.of(), IMAGE, "cd34"), DomainPhase.Booting,
                SaveRestoreRules.RESTORING),
            row("restored paused: unpause as after a create", spec(), paused(9, 0), RESTORED_PAUSED,
                new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING),
            row("killed after the restore, before its outcome: the paused guest is unpaused", spec(), paused(9, 5),
                SAVED.withIntent(RESTORE, at(20)), new Operation.Unpause(NAME), DomainPhase.Booting, Conditions.BOOTING),
            row("restored and running: remove the image", spec(), running(9), RESTORED_RUNNING,
                new RemoveImage(IMAGE, NAME, true), DomainPhase.Running, SaveRestoreRules.RESTORED),
            row("restore failed: the image is set aside, then the domain boots", spec(), null, RESTORE_FAILED,
                new SetAsideImage(IMAGE, aside, "checksum mismatch: the image is corrupt"), DomainPhase.Booting,
                SaveRestoreRules.RESTORE_FAILED),
            row("set aside: an ordinary boot", spec(), null, done(RESTORE_FAILED,
                new SetAsideImage(IMAGE, aside, "checksum mismatch: the image is corrupt"), at(21)),
                create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            row("a save that did not finish left the guest paused: resume it", spec(), pausedAfterRunning,
                BOOTED.withIntent(SAVE, at(5)).withFailure(SAVE, "migration failed", at(6)),
                new Operation.Resume(NAME), DomainPhase.Paused, DesiredStateRules.RESUMING),
            row("a save that did not finish, the guest runs: what was written goes", spec(), running(7),
                BOOTED.withIntent(SAVE, at(5)).withFailure(SAVE, "migration failed", at(6)),
                new RemoveImage(IMAGE, NAME, false), DomainPhase.Running, SaveRestoreRules.SAVING),
            row("the save at the node's shutdown failed, the domain is gone: SaveFailed, what it wrote goes", spec(),
                null, SAVE_FAILED, REMOVE_UNFINISHED, DomainPhase.Booting, SaveRestoreRules.SAVE_FAILED),
            row("...the node refused the removal (a complete image after all): confirmed, then restored from it",
                spec(), null, SAVE_FAILED.withIntent(REMOVE_UNFINISHED, at(20)).withFailure(REMOVE_UNFINISHED,
                    "refusing to remove", at(20)), CONFIRM, DomainPhase.Booting, SaveRestoreRules.RESTORING),
            row("...removed: an ordinary boot", spec(), null, done(SAVE_FAILED, REMOVE_UNFINISHED, at(20)),
                create(spec()).op(), DomainPhase.Booting, Conditions.BOOTING),
            row("the save failed while Suspended is wished: Suspended, saying nothing is saved", SUSPENDED, null,
                SAVE_FAILED, Operation.None.INSTANCE, DomainPhase.Suspended, Reasons.SUSPENDED),
            row("halted while saved: the image is set aside, never deleted", spec(s -> s.setActivate(false)), null,
                SAVED, new SetAsideImage(IMAGE, IMAGE + ".halted-" + at(5).getEpochSecond(), "halted while saved"),
                DomainPhase.Halting, Conditions.DEACTIVATED),
            row("Suspended with an adapter: refused, naming the field", spec(s -> {
                    s.setDesiredState(DesiredState.Suspended);
                    s.getAdapters().add("nic0");
                }), running(7), BOOTED, Operation.None.INSTANCE, DomainPhase.Running, Conditions.INVALID_SPEC));
    }

    private static Arguments row(String name, DomainConfigSpec spec, DomainInfo observed, Journal j, Operation op,
                                 DomainPhase phase, String reason) {
        return Arguments.of(name, spec, observed, j, op, phase, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule16_table(String name, DomainConfigSpec spec, DomainInfo observed, Journal j, Operation op,
                      DomainPhase phase, String reason) {
        Decision d = decide(desired(spec, 2), observed, j, at(30));
        assertThat(d.operation()).isEqualTo(op);
        assertThat(d.status().getPhase()).isEqualTo(phase);
        assertThat(d.status().condition(Conditions.READY).getReason()).isEqualTo(reason);
    }

    @Test
    void rule16_theJournalRecordsTheImageBeforeTheSaveAndItsChecksumAfter() {
        assertThat(SAVING.saveImage().state()).isEqualTo(SaveImage.State.SAVING);
        assertThat(SAVING.saveImage().path()).isEqualTo(IMAGE);
        assertThat(SAVING.domainName()).as("the domain may still exist until the save's outcome").isEqualTo(NAME);
        assertThat(SAVED.saveImage().state()).isEqualTo(SaveImage.State.SAVED);
        assertThat(SAVED.saveImage().sizeBytes()).isEqualTo(4096);
        assertThat(SAVED.saveImage().sha256()).isEqualTo("ab12");
        assertThat(SAVED.domainName()).as("the save ended the domain").isNull();
    }

    @Test
    void rule16_restoredSaysSoInStatusAndAnEventAndIsNoBoot() {
        Decision remove = decide(desired(spec(), 2), running(9), RESTORED_RUNNING, at(30));
        assertThat(remove.events()).anySatisfy(e -> assertThat(e.reason()).isEqualTo(SaveRestoreRules.RESTORED));
        Journal after = done(remove.journal(), remove.operation(), at(31));
        Decision steady = decide(withStatus(desired(spec(), 2), remove.status()), running(9), after, at(32));
        assertThat(steady.operation()).isEqualTo(Operation.None.INSTANCE);
        assertThat(steady.status().condition(SaveRestoreRules.RESTORED_CONDITION).getStatus()).isEqualTo("True");
        assertThat(steady.status().condition(SaveRestoreRules.RESTORED_CONDITION).getReason())
            .isEqualTo(SaveRestoreRules.RESTORED);
        assertThat(steady.status().getRestartCount()).as("a restore is no restart").isZero();
        assertThat(steady.status().getBootAttempts()).isZero();
    }

    @Test
    void rule16_aFailedRestoreSaysWhyInAConditionAndAWarning() {
        Decision aside = decide(desired(spec(), 2), null, RESTORE_FAILED, at(30));
        assertThat(aside.events()).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo(SaveRestoreRules.RESTORE_FAILED);
            assertThat(e.type()).isEqualTo(DomainEvent.Type.Warning);
            assertThat(e.message()).contains("checksum mismatch");
        });
        Journal after = done(aside.journal(), aside.operation(), at(31));
        Decision boot = decide(desired(spec(), 2), null, after, at(32));
        assertThat(boot.operation()).isInstanceOf(Operation.CreatePaused.class);
        var restored = boot.status().condition(SaveRestoreRules.RESTORED_CONDITION);
        assertThat(restored.getStatus()).isEqualTo("False");
        assertThat(restored.getReason()).isEqualTo(SaveRestoreRules.RESTORE_FAILED);
        assertThat(restored.getMessage()).contains("checksum mismatch").contains(".failed-");
    }

    @Test
    void rule16_aSaveThatFailedAtTheNodesShutdownSaysSoAtTheNextStartNotRestoreFailed() {
        Decision remove = decide(desired(spec(), 2), null, SAVE_FAILED, at(30));
        assertThat(remove.events()).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo(SaveRestoreRules.SAVE_FAILED);
            assertThat(e.type()).isEqualTo(DomainEvent.Type.Warning);
            assertThat(e.message()).contains("No space left on device").contains("node's shutdown");
        });
        assertThat(remove.events()).noneSatisfy(e -> assertThat(e.reason()).isEqualTo(SaveRestoreRules.RESTORE_FAILED));
        assertThat(remove.status().condition(SaveRestoreRules.RESTORED_CONDITION).getReason())
            .isEqualTo(SaveRestoreRules.SAVE_FAILED);
        Journal removed = done(remove.journal(), remove.operation(), at(31));
        assertThat(removed.saveImage().state()).isEqualTo(SaveImage.State.SAVE_FAILED);
        Decision boot = decide(desired(spec(), 2), null, removed, at(32));
        assertThat(boot.operation()).isInstanceOf(Operation.CreatePaused.class);
        var condition = boot.status().condition(SaveRestoreRules.RESTORED_CONDITION);
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo(SaveRestoreRules.SAVE_FAILED);
        assertThat(condition.getMessage()).contains("No space left on device").contains("not saved");
    }

    /**
     * Issue 18: the guest restored from an image ran since, the image's removal failed, then the guest crashed. The
     * image is stale (the guest's disks moved on): it is removed and the domain boots afresh, never restored from it.
     */
    @Test
    void rule16_anImageIsStaleOnceTheGuestRestoredFromItIsSetRunning() {
        Journal unpausing = RESTORED_PAUSED.withIntent(new Operation.Unpause(NAME), at(21));
        assertThat(unpausing.saveImage().state()).as("stale before the vCPUs run: a kill now cannot restore it again")
            .isEqualTo(SaveImage.State.RESUMED);
        assertThat(unpausing.saveImage().holdsGuest()).isFalse();

        RemoveImage remove = new RemoveImage(IMAGE, NAME, true);
        Journal removalFailed = RESTORED_RUNNING.withIntent(remove, at(22))
            .withFailure(remove, "Read-only file system", at(22));
        Journal crashed = done(removalFailed, new Operation.Destroy(NAME, DestroyReason.CRASH_RESTART), at(25));
        Decision d = decide(desired(spec(), 2), null, crashed, at(30));
        assertThat(d.operation()).as("the stale image goes first, never a restore").isEqualTo(remove);
        assertThat(d.status().condition(Conditions.READY).getReason()).isEqualTo(SaveRestoreRules.STALE_IMAGE);
        Decision first = decide(desired(spec(), 2), null, done(RESTORED_RUNNING,
            new Operation.Destroy(NAME, DestroyReason.CRASH_RESTART), at(22)), at(30));
        assertThat(first.operation()).as("crashed before the removal was tried").isEqualTo(remove);
        assertThat(first.events()).extracting(DomainEvent::reason).contains(SaveRestoreRules.STALE_IMAGE);

        Journal removed = done(crashed, remove, at(31));
        assertThat(removed.saveImage().state()).isEqualTo(SaveImage.State.RESTORED);
        assertThat(decide(desired(spec(), 2), null, removed, at(32)).operation()).as("then an ordinary boot")
            .isEqualTo(create(spec()).op());

        assertThat(decide(desired(SUSPENDED, 2), null, crashed, at(30)).operation())
            .as("Suspended wished: the stale image is not what is saved; it goes").isEqualTo(remove);
        assertThat(decide(desired(spec(s -> s.setActivate(false)), 2), null, crashed, at(30)).operation())
            .as("halted: removed, not set aside as a guest's only copy would be").isEqualTo(remove);
        assertThat(decide(desired(spec(), 2), paused(9, 5_000_000_000L), done(unpausing.withFailure(
            new Operation.Unpause(NAME), "x", at(21)), new Operation.Pause(NAME), at(22)), at(30)).operation())
            .as("paused since: the image goes all the same").isEqualTo(remove);
    }

    @Test
    void rule16_aConfirmedSaveIsRecordedDoneAsASaveIsAndLeavesNothingInFlight() {
        assertThat(SAVING.inFlight()).as("killed after the save, before its outcome").isTrue();
        assertThat(CONFIRMED.inFlight()).as("nothing in flight once confirmed").isFalse();
        assertThat(CONFIRMED.saveImage().state()).isEqualTo(SaveImage.State.SAVED);
        assertThat(CONFIRMED.saveImage().sha256()).isEqualTo("cd34");
        assertThat(CONFIRMED.saveImage().sizeBytes()).isEqualTo(4096);
        assertThat(CONFIRMED.saveImage().savedAt()).as("saved when the save was asked for").isEqualTo(at(5));
        assertThat(CONFIRMED.domainName()).as("the save ended the domain").isNull();
        assertThat(CONFIRMED.goneDomainId()).isEqualTo(7);

        assertThat(NOT_CONFIRMED.inFlight()).isFalse();
        assertThat(NOT_CONFIRMED.saveImage().state()).isEqualTo(SaveImage.State.SAVING);
        assertThat(NOT_CONFIRMED.saveImage().failure()).contains("did not finish").contains("no complete save image");
        Decision suspended = decide(desired(SUSPENDED, 2), null, NOT_CONFIRMED, at(30));
        assertThat(suspended.status().condition(Conditions.READY).getMessage()).contains("not saved")
            .contains("no complete save image");
    }

    @Test
    void rule16_noRestoreIsDecidedWithoutAChecksum() {
        for (Journal j : List.of(SAVING, SAVE_FAILED.withIntent(REMOVE_UNFINISHED, at(20))
            .withFailure(REMOVE_UNFINISHED, "refusing to remove", at(20)), done(BOOTED, SAVE, at(5)))) {
            for (DomainConfigSpec spec : List.of(spec(), RUNNING, SUSPENDED)) {
                Operation op = decide(desired(spec, 2), null, j, at(30)).operation();
                assertThat(op).as("%s with %s", spec.getDesiredState(), j.saveImage()).isNotInstanceOf(RestoreFromImage.class);
            }
        }
    }

    @Test
    void rule16_aRestoreFromAnImageWhoseSaveWasNeverJournaledCompleteProvesItComplete() {
        RestoreFromImage unchecked = new RestoreFromImage(NAME, UUID_TEXT, spec(), List.of(), IMAGE, null);
        Journal restored = SAVING.withIntent(unchecked, at(20)).withSuccess(unchecked, at(20), paused(9, 0));
        assertThat(restored.saveImage().state()).isEqualTo(SaveImage.State.SAVED);
        Journal running = done(restored, new Operation.Unpause(NAME), at(21));
        Decision remove = decide(desired(spec(), 2), running(9), running, at(30));
        assertThat(remove.operation()).isEqualTo(new RemoveImage(IMAGE, NAME, true));
        assertThat(remove.status().condition(Conditions.READY).getReason()).isEqualTo(SaveRestoreRules.RESTORED);
    }

    @Test
    void rule16_setAsideImagesGoWhenTheDomainConfigIsDeletedUnlessKeepDisksOnDelete() {
        Journal setAside = done(RESTORE_FAILED, new SetAsideImage(IMAGE, IMAGE + ".failed-20", "corrupt"), at(21));
        Journal halted = done(done(setAside, create(spec()).op(), at(22)),
            new Operation.Destroy(NAME, DestroyReason.FORCED), at(23));
        assertThat(decide(desired(spec(), 2), null, halted, at(30)).operation()).as("never while it exists")
            .isInstanceOf(Operation.CreatePaused.class);
        assertThat(decide(desired(spec(s -> s.setActivate(false)), 2), null, halted, at(30)).operation())
            .as("nor when it is only halted").isEqualTo(Operation.None.INSTANCE);

        Decision remove = decide(deleting(spec()), null, halted, at(30));
        assertThat(remove.operation()).isEqualTo(new SaveRestoreOperations.RemoveSetAsideImages(IMAGE));
        Journal removed = done(remove.journal(), remove.operation(), at(31));
        assertThat(decide(deleting(spec()), null, removed, at(32)).operation())
            .isInstanceOf(Operation.ForgetDomain.class);

        assertThat(decide(deleting(spec(s -> s.setKeepDisksOnDelete(true))), null, halted, at(30)).operation())
            .as("kept, as the disk copies are").isInstanceOf(Operation.ForgetDomain.class);
        assertThat(decide(deleting(spec()), null, SAVED, at(30)).operation()).as("a saved guest is set aside first")
            .isInstanceOf(SetAsideImage.class);
    }

    @Test
    void rule16_aStaleRestoreFailureDoesNotSetANewerImageAside() {
        Journal aside = done(RESTORE_FAILED, new SetAsideImage(IMAGE, IMAGE + ".x", "corrupt"), at(21));
        Journal savedAgain = SaveImageJournal.checked(done(done(aside, create(spec()).op(), at(22)), SAVE, at(40)),
            4096, "ef56");
        assertThat(decide(desired(spec(), 2), null, savedAgain, at(50)).operation())
            .isInstanceOf(RestoreFromImage.class);
    }

    @Test
    void rule16_atHostShutdownOnlySaveDomainsWithoutAdaptersAreSaved() {
        DomainConfigSpec save = spec(s -> s.setOnHostShutdown(HostShutdownPolicy.Save));
        assertThat(SaveRestoreRules.atHostShutdown(save, BOOTED, running(7)))
            .contains(new SaveToImage(NAME, IMAGE, SaveImage.Cause.HOST_SHUTDOWN));
        assertThat(SaveRestoreRules.atHostShutdown(spec(), BOOTED, running(7))).as("default Halt").isEmpty();
        assertThat(SaveRestoreRules.atHostShutdown(save, BOOTED, null)).as("nothing runs").isEmpty();
        DomainConfigSpec withAdapter = spec(s -> {
            s.setOnHostShutdown(HostShutdownPolicy.Save);
            s.getAdapters().add("nic0");
        });
        assertThat(SaveRestoreRules.atHostShutdown(withAdapter, BOOTED, running(7))).isEmpty();
    }

    /**
     * Regression (ConvergenceProperties): the agent was killed after journaling the restored guest's unpause and before
     * making it, and the domain was then deactivated. The guest was destroyed as "never started" and its image, stale
     * since the unpause's intent, removed: the state it was saved with was lost. It is unpaused and shut down instead.
     */
    @Test
    void rule16_aRestoredGuestWhoseUnpauseWasCutShortIsShutDownNotDestroyed() {
        Journal unpausing = RESTORED_PAUSED.withIntent(new Operation.Unpause(NAME), at(21));
        assertThat(unpausing.saveImage().stale()).isTrue();
        Decision halt = decide(desired(spec(s -> s.setActivate(false)), 2), paused(9, 0), unpausing, at(30));
        assertThat(halt.operation()).isEqualTo(new Operation.Unpause(NAME));
        assertThat(halt.status().getPhase()).isEqualTo(DomainPhase.Halting);
    }

    /**
     * Regression (ConvergenceProperties): a restore succeeded, vCPUs were changed, and a listing from before the restore
     * showed no domain: the engine restored again with the new spec, refused as the name was taken. The journal had
     * taken the new spec for what the running domain was built from, so the change was never applied.
     */
    @Test
    void rule16_aRepeatedRestoreDecidedOnAnOlderListingKeepsWhatTheDomainWasBuiltFrom() {
        RestoreFromImage again = new RestoreFromImage(NAME, UUID_TEXT, spec(s -> s.setVcpus(3)), List.of(), IMAGE, "ab12");
        Journal refused = RESTORED_PAUSED.withIntent(again, at(22))
            .withFailure(again, "a domain named " + NAME + " exists", at(22));
        assertThat(refused.startedWith()).isEqualTo(RESTORED_PAUSED.startedWith());
        assertThat(SAVED.withIntent(again, at(22)).startedWith()).as("no domain built yet: the restore's spec")
            .isEqualTo(StartedSpec.of(again.spec(), UUID_TEXT));
    }

    /**
     * Regression (ConvergenceProperties): a restored guest runs and its old image is not removed yet when the node
     * shuts down. Saving to the same file, an agent killed before the save wrote it found the old image complete,
     * confirmed it as the new save and restored the guest from memory older than its disks. It halts instead.
     */
    @Test
    void rule16_atHostShutdownAGuestWhoseEarlierImageIsStillThereHaltsInsteadOfSaving() {
        DomainConfigSpec save = spec(s -> s.setOnHostShutdown(HostShutdownPolicy.Save));
        assertThat(RESTORED_RUNNING.saveImage().stale()).isTrue();
        assertThat(SaveRestoreRules.atHostShutdown(save, RESTORED_RUNNING, running(8))).isEmpty();
        assertThat(SaveRestoreRules.atHostShutdown(save, SAVE_FAILED, running(7)))
            .as("a save that did not finish, its partial file not yet removed").isEmpty();
    }

    /**
     * Regression (ConvergenceProperties): a restart to apply a vCPU change had asked the guest to shut down when the
     * node shut down; the save failed, left the guest paused half-way through its shutdown, and Paused being wished, it
     * stayed so for good. A guest asked to shut down is neither saved at the node's shutdown nor for Suspended until
     * it has finished (or the timeout has passed).
     */
    @Test
    void rule16_aGuestActingOnOurShutdownRequestIsNotSaved() {
        Journal asked = done(BOOTED, new Operation.Shutdown(NAME), at(5));
        assertThat(SaveRestoreRules.atHostShutdown(spec(s -> s.setOnHostShutdown(HostShutdownPolicy.Save)), asked,
            running(7))).isEmpty();
        assertThat(decide(desired(SUSPENDED, 2), running(7), asked, at(10)).operation())
            .isNotInstanceOf(SaveToImage.class);
        assertThat(decide(desired(SUSPENDED, 2), running(7), asked, at(5 + 24 * 3600)).operation())
            .as("saved once the timeout says the guest ignored the request").isEqualTo(SAVE);
    }
}
