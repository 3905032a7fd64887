package io.domainoperator.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.reconciler.Journal;
import io.domainoperator.reconciler.SaveImage;
import io.domainoperator.reconciler.SaveImageJournal;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a journal holding a save image is written in format 3 and read back whole; one without stays format 2, so
 * that an agent rolled back still reads it (and refuses, rather than drops, one that holds an image).
 */
class JournalFileSaveImageTest {
    @TempDir
    Path dir;

    private FileJournalStore<Journal> store() {
        return FileJournalStore.mapped(dir, JournalFile.class, JournalFile::of, JournalFile::journal);
    }

    @Test
    void aSaveImageRoundTripsInFormat3AndOnlyThen() throws IOException {
        Instant t = Instant.parse("2026-11-30T22:00:00Z");
        SaveToImage save = new SaveToImage("vm1", "u.save", SaveImage.Cause.HOST_SHUTDOWN);
        Journal saving = Journal.empty().withIntent(save, t);
        Journal saved = SaveImageJournal.checked(saving.withSuccess(save, t, null), 123, "abcd");

        store().save("apps/vm1", saving);
        assertThat(store().load("apps/vm1")).contains(saving);
        store().save("apps/vm1", saved);
        assertThat(store().load("apps/vm1")).contains(saved);
        assertThat(store().load("apps/vm1").orElseThrow().saveImage())
            .isEqualTo(new SaveImage("u.save", 123L, "abcd", t, SaveImage.Cause.HOST_SHUTDOWN, SaveImage.State.SAVED, null));
        String text = Files.readString(dir.resolve("apps%2Fvm1.json"));
        assertThat(text).contains("\"format\" : " + JournalFile.FORMAT_WITH_SAVE_IMAGE).contains("\"saveImage\"");

        store().save("apps/vm2", Journal.empty());
        assertThat(Files.readString(dir.resolve("apps%2Fvm2.json"))).contains("\"format\" : " + JournalFile.FORMAT)
            .doesNotContain("saveImage");
    }
}
