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

        // Format 2 adds four fields (format, startedByBackend, startedByVersion, writtenBy); every older field is
        // written as it was, at the top level, with its value.
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var written = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("apps%2Fvm2.json").toFile());
        assertThat(written.remove(List.of("format", "startedByBackend", "startedByVersion", "writtenBy")))
            .isEqualTo(json.readTree(dir.resolve("apps%2Fvm1.json").toFile()));
        assertThat(Files.readString(dir.resolve("apps%2Fvm2.json"))).contains("\"format\" : " + JournalFile.FORMAT);
        assertThat(store().load("apps/vm2")).contains(j);
        assertThat(store().load("apps/vm3")).isEmpty();
        store().save("apps/vm3", Journal.empty());
        assertThat(store().load("apps/vm3")).contains(Journal.empty());
    }

    @Test
    void theBackendThatStartedTheDomainIsKeptAndAnOlderFileHasNone() throws IOException {
        Files.copy(Path.of("src/test/resources/journal/flat-2026-11.json"), dir.resolve("apps%2Fvm1.json"));
        Journal old = store().load("apps/vm1").orElseThrow();
        assertThat(old.startedBy()).isNull();
        Journal pinned = new Journal(old.generation(), old.intent(), old.lastFailure(), new Journal.Identity(
            old.domainName(), old.uuid(), old.domainId(), old.goneDomainId(), old.startedWith(),
            new io.domainoperator.reconciler.StartedBy("xl", "0.1.0")), old.boot(), old.halt(), old.holdings(),
            old.exit(), old.orphanSince());
        store().save("apps/vm1", pinned);
        assertThat(store().load("apps/vm1").orElseThrow().startedBy())
            .isEqualTo(new io.domainoperator.reconciler.StartedBy("xl", "0.1.0"));
    }

    @Test
    void aFileOfANewerFormatIsRefusedAndLeftAsItIs() throws IOException {
        Path file = dir.resolve("apps%2Fvm1.json");
        String newer = "{\"generation\": 1, \"domainName\": \"vm1\", \"format\": 4, \"writtenBy\": \"0.9.0\","
            + " \"someFutureFact\": {\"x\": 1}}";
        Files.writeString(file, newer);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store().load("apps/vm1"))
            .isInstanceOfSatisfying(NewerJournalException.class, e -> {
                assertThat(e.format()).isEqualTo(4); // 3 (a save image, issue 18) is known
                assertThat(e.writtenBy()).isEqualTo("0.9.0");
            });
        assertThat(file).content().isEqualTo(newer);
        assertThat(dir.toFile().list()).containsExactly("apps%2Fvm1.json");
    }
}
