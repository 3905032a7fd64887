package io.domainoperator.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalStoreTest {
    record Entry(String intent, Instant at, List<String> adapters) {
    }

    @TempDir
    Path dir;

    @Test
    void savesLoadsAndListsEntriesByKey() {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        Entry e = new Entry("CreatePaused", Instant.parse("2026-11-24T05:00:00Z"), List.of("edge-1-eth1"));

        store.save("default/vyos-app", e);

        assertThat(store.load("default/vyos-app")).contains(e);
        assertThat(store.load("default/other")).isEmpty();
        assertThat(store.keys()).containsExactly("default/vyos-app");
    }

    @Test
    void keysWithUnusualCharactersRoundTrip() {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        store.save("orphan/vm_1.2%x", new Entry("Destroy", Instant.EPOCH, List.of()));

        assertThat(store.keys()).containsExactly("orphan/vm_1.2%x");
    }

    @Test
    void overwriteLeavesNoTemporaryFiles() throws Exception {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        store.save("ns/a", new Entry("CreatePaused", Instant.EPOCH, List.of()));
        store.save("ns/a", new Entry("Unpause", Instant.EPOCH, List.of()));

        assertThat(store.load("ns/a")).map(Entry::intent).contains("Unpause");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ns%2Fa.json");
        }
    }

    @Test
    void aTornEntryIsKeptAsideAndReportedNeverSilentlyDropped() throws Exception {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        Files.writeString(dir.resolve("ns%2Fa.json"), "{\"intent\": \"Creat");

        assertThatThrownBy(() -> store.load("ns/a")).isInstanceOf(JournalException.class)
            .hasMessageContaining("unreadable").hasMessageContaining("corrupt-1");
        assertThat(dir.resolve("ns%2Fa.json.corrupt-1")).exists();
    }

    @Test
    void deleteRemovesTheEntry() {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        store.save("ns/a", new Entry("x", Instant.EPOCH, List.of()));
        store.delete("ns/a");
        assertThat(store.load("ns/a")).isEmpty();
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void entriesAreCachedAndWrittenThroughSoRereadsCostNoDiskRead() throws Exception {
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);
        Entry first = new Entry("CreatePaused", Instant.EPOCH, List.of());
        Entry second = new Entry("Unpause", Instant.EPOCH, List.of());

        store.save("ns/a", first);
        store.save("ns/a", second);
        for (int i = 0; i < 100; i++) {
            assertThat(store.load("ns/a")).contains(second);
            assertThat(store.load("ns/none")).isEmpty();
        }

        assertThat(store.diskReads()).as("every read served from memory").isZero();
        assertThat(new FileJournalStore<>(dir, Entry.class).load("ns/a")).as("written through to disk").contains(second);
    }

    @Test
    void anEntryLeftByAnEarlierProcessIsReadOnceAndKeysNeedNoDirectoryScan() {
        new FileJournalStore<>(dir, Entry.class).save("orphan/vm-1", new Entry("Destroy", Instant.EPOCH, List.of()));
        new FileJournalStore<>(dir, Entry.class).save("ns/b", new Entry("Unpause", Instant.EPOCH, List.of()));
        FileJournalStore<Entry> store = new FileJournalStore<>(dir, Entry.class);

        store.load("ns/b");
        store.load("ns/b");
        store.delete("orphan/vm-1");
        store.save("orphan/vm-2", new Entry("Destroy", Instant.EPOCH, List.of()));

        assertThat(store.diskReads()).isEqualTo(1);
        assertThat(store.load("orphan/vm-1")).isEmpty();
        assertThat(store.keys("orphan/")).containsExactly("orphan/vm-2");
        assertThat(store.keys()).containsExactly("ns/b", "orphan/vm-2");
    }
}
