package io.domainoperator.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An outcome written behind: in memory at once, on disk a moment later, never over a newer entry. */
class FileJournalStoreWriteBehindTest {
    record Entry(String intent, String outcome) {
    }

    private static final Entry INTENT = new Entry("CreatePaused", null);
    private static final Entry OUTCOME = new Entry("CreatePaused", "created");
    private static final Entry NEXT_INTENT = new Entry("Unpause", null);

    @TempDir
    Path dir;

    /** What a process started now would read: the file, not this store's memory. */
    private Entry onDisk(String key) {
        return new FileJournalStore<>(dir, Entry.class).load(key).orElse(null);
    }

    @Test
    void anOutcomeWrittenBehindIsReadAtOnceAndReachesDiskWithinTheDelay() {
        try (FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class)) {
            store.save("ns/a", INTENT);
            store.saveSoon("ns/a", OUTCOME);

            assertThat(store.load("ns/a")).contains(OUTCOME);
            assertThat(store.pendingWrites()).isEqualTo(1);
            await("the outcome on disk").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(onDisk("ns/a")).isEqualTo(OUTCOME));
            await("nothing waiting").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(store.pendingWrites()).isZero());
        }
    }

    @Test
    void untilWrittenTheFileHoldsTheIntentAsAfterAProcessKilledDuringTheCall() {
        try (FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class)) {
            store.save("ns/a", INTENT);
            store.saveSoon("ns/a", OUTCOME);

            // Read before the write-behind's delay has passed: a process started now finds the intent, never a torn file.
            assertThat(onDisk("ns/a")).isIn(INTENT, OUTCOME);
        }
    }

    @Test
    void theNextDurableSaveCarriesTheOutcomeAndTheWriteBehindNeverPutsItBack() throws Exception {
        try (FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class)) {
            store.save("ns/a", INTENT);
            store.saveSoon("ns/a", OUTCOME);
            store.save("ns/a", NEXT_INTENT);

            assertThat(store.pendingWrites()).isZero();
            store.flush();
            assertThat(onDisk("ns/a")).isEqualTo(NEXT_INTENT);
            Thread.sleep(WriteBehind.DELAY.plusMillis(500).toMillis()); // past the write-behind's own time
            assertThat(onDisk("ns/a")).isEqualTo(NEXT_INTENT);
        }
    }

    @Test
    void closingTheStoreWritesWhatWaitsAndLaterOutcomesAreWrittenAtOnce() {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        store.save("ns/a", INTENT);
        store.saveSoon("ns/a", OUTCOME);
        store.close();
        assertThat(onDisk("ns/a")).isEqualTo(OUTCOME);

        store.saveSoon("ns/b", OUTCOME);
        assertThat(onDisk("ns/b")).isEqualTo(OUTCOME);
    }

    @Test
    void aDeletedEntryIsNotWrittenBackByItsPendingOutcome() {
        try (FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class)) {
            store.save("ns/a", INTENT);
            store.saveSoon("ns/a", OUTCOME);
            store.delete("ns/a");
            store.flush();

            assertThat(dir.resolve("ns%2Fa.json")).doesNotExist();
            assertThat(store.keys()).isEmpty();
        }
    }

    @Test
    void aFailedWriteKeepsTheOutcomeInMemoryReportsWhyAndIsTriedAgain() throws Exception {
        try (FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class)) {
            store.save("ns/a", INTENT);
            // The entry's name taken by a non-empty directory: the rename over it fails, as a full disk would fail it.
            Files.delete(dir.resolve("ns%2Fa.json"));
            Files.createDirectories(dir.resolve("ns%2Fa.json").resolve("blocker"));
            store.saveSoon("ns/a", OUTCOME);
            store.flush();

            assertThat(store.load("ns/a")).contains(OUTCOME);
            assertThat(store.pendingWrites()).isEqualTo(1);
            assertThat(store.writeProblem()).get().asString().contains("ns%2Fa.json");

            Files.delete(dir.resolve("ns%2Fa.json").resolve("blocker"));
            Files.delete(dir.resolve("ns%2Fa.json"));
            store.flush();
            assertThat(store.pendingWrites()).isZero();
            assertThat(store.writeProblem()).isEmpty();
            assertThat(onDisk("ns/a")).isEqualTo(OUTCOME);
        }
    }

    @Test
    void manyKeysWrittenBehindAllReachDiskAndTheNewestWinsPerKey() {
        try (FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class)) {
            List<String> keys = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "ns/d" + i).toList();
            keys.forEach(k -> store.save(k, INTENT));
            keys.forEach(k -> store.saveSoon(k, OUTCOME));
            keys.subList(0, 10).forEach(k -> store.save(k, NEXT_INTENT));
            store.flush();

            FileJournalStore<Entry> reread = new FileJournalStore<>(dir, Entry.class);
            keys.subList(0, 10).forEach(k -> assertThat(reread.load(k)).contains(NEXT_INTENT));
            keys.subList(10, 50).forEach(k -> assertThat(reread.load(k)).contains(OUTCOME));
        }
    }
}
