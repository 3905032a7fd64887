package io.domainoperator.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteReplacesTheWholeFileAndLeavesNoTempFileBehind() throws IOException {
        Path target = dir.resolve("sub/journal.json");
        AtomicFiles.write(target, "first, and longer");
        AtomicFiles.write(target, "second");

        assertThat(target).hasContent("second");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFileWrittenBesideTheTargetIsPublishedInItsPlace() throws IOException {
        Path partial = Files.writeString(dir.resolve("disk.img.partial"), "image");
        Path target = Files.writeString(dir.resolve("disk.img"), "stale");

        AtomicFiles.publish(partial, target);

        assertThat(target).hasContent("image");
        assertThat(partial).doesNotExist();
    }

    @Test
    void aMissingFileToPublishIsAnErrorNamingBothPaths() {
        Path partial = dir.resolve("gone.partial");
        assertThatThrownBy(() -> AtomicFiles.publish(partial, dir.resolve("gone")))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining(partial.toString()).hasMessageContaining("gone");
    }
}
