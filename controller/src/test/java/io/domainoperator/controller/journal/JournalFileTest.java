package io.domainoperator.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.ShutdownReason;
import io.domainoperator.reconciler.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Journals on disk outlive agent versions: the flat file the agent wrote before the journal was regrouped still reads. */
class JournalFileTest {
    private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    private FileJournalStore<Journal> store() {
        return FileJournalStore.mapped(dir, JournalFile.class, JournalFile::of, JournalFile::journal);
    }

    @Test
    void aJournalWrittenByTheFlatVersionReadsWithEveryField() throws IOException {
        // flat-2026-11.json is what the agent wrote before the journal was grouped into records by concern.
        Files.copy(Path.of("src/test/resources/journal/flat-2026-11.json"), dir.resolve("apps%2Fvm1.json"));

        Journal j = store().load("apps/vm1").orElseThrow();

        assertThat(j.generation()).isEqualTo(3);
        assertThat(j.intent()).isEqualTo(new Journal.Intent("Shutdown", T.plusSeconds(5), 3, Journal.Outcome.PENDING));
        assertThat(j.identity()).isEqualTo(new Journal.Identity("vm1", "6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01", 7, 6, null));
        assertThat(j.boot()).isEqualTo(new Journal.Boot(true, 2,
            new Journal.Failure("CreatePaused", "xl create failed", T.minusSeconds(60), 2), 4,
            T.minusSeconds(3600), T.minusSeconds(600)));
        assertThat(j.lastFailure()).isEqualTo(new Journal.Failure("AssignAdapters", "busy", T.minusSeconds(30), 3));
        assertThat(j.halt()).isEqualTo(new Journal.Halt(true, T.plusSeconds(5), 3, T.minusSeconds(50)));
        assertThat(j.holdings()).isEqualTo(new Journal.Holdings(List.of("/var/lib/images/a.qcow2"), List.of("edge-1-eth1"),
            List.of("/var/lib/images/b.qcow2"), List.of("edge-1-eth2")));
        assertThat(j.exit()).isEqualTo(new Journal.Exit(ShutdownReason.CRASH, LifecyclePolicy.Restart, T.minusSeconds(700), 2));
        assertThat(j.orphanSince()).isEqualTo(T.minusSeconds(100));
    }

    @Test
    void theFileStaysFlatAndRoundTrips() throws IOException {
        Files.copy(Path.of("src/test/resources/journal/flat-2026-11.json"), dir.resolve("apps%2Fvm1.json"));
        Journal j = store().load("apps/vm1").orElseThrow();

        store().save("apps/vm2", j);

        assertThat(Files.readString(dir.resolve("apps%2Fvm2.json")))
            .isEqualTo(Files.readString(dir.resolve("apps%2Fvm1.json")));
        assertThat(store().load("apps/vm2")).contains(j);
        assertThat(store().load("apps/vm3")).isEmpty();
        store().save("apps/vm3", Journal.empty());
        assertThat(store().load("apps/vm3")).contains(Journal.empty());
    }
}
