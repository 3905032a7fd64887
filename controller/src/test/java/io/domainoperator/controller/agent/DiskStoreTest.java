package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-domain disk copies with the real cp: made once, never half, never replaced, only copies removed. */
class DiskStoreTest {
    private static final UUID UUID_A = UUID.fromString("0b2c3a4e-1111-4222-8333-944455556666");

    @TempDir
    Path dir;

    private Path source(String name, String content) throws IOException {
        return Files.writeString(Files.createDirectories(dir.resolve("src")).resolve(name), content);
    }

    private Path store() {
        return dir.resolve("img");
    }

    @Test
    void aCopyIsMadeOnceUnderEvesNameAndTheGuestsWritesAreKept() throws Exception {
        Path source = source("base.qcow2", "image");
        DiskStore disks = new DiskStore(store(), new ProcessCommandRunner());

        disks.prepare(UUID_A, List.of(source.toString()));
        Path copy = disks.copyPath(UUID_A, source.toString());
        assertThat(copy.getFileName().toString()).matches("[0-9A-F]{16}-" + UUID_A + "\\.qcow2");
        assertThat(Files.readString(copy)).isEqualTo("image");

        Files.writeString(copy, "written by the guest");
        Files.writeString(source, "a newer image");
        disks.prepare(UUID_A, List.of(source.toString()));
        assertThat(Files.readString(copy)).as("an existing copy is never copied over").isEqualTo("written by the guest");
    }

    @Test
    void aFailedCopyLeavesNothingUnderTheFinalNameAndNoPartialFile() throws Exception {
        Path source = source("base.img", "image");
        CommandRunner halfThenFail = new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, Duration timeout) {
                try {
                    Files.writeString(Path.of(argv.getLast()), "ima"); // what a killed or failing cp leaves
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new CommandException(argv, 1, "cp: error writing: No space left on device", "cp failed", null);
            }

            @Override
            public CommandResult runAllowingFailure(List<String> argv, Duration timeout) {
                return run(argv, timeout);
            }
        };
        DiskStore failing = new DiskStore(store(), halfThenFail);

        assertThatThrownBy(() -> failing.prepare(UUID_A, List.of(source.toString()))).hasMessageContaining("No space left");
        assertThat(files(store())).as("no half image under the final name, no partial left").isEmpty();

        DiskStore working = new DiskStore(store(), new ProcessCommandRunner());
        working.prepare(UUID_A, List.of(source.toString()));
        assertThat(Files.readString(working.copyPath(UUID_A, source.toString()))).isEqualTo("image");
    }

    @Test
    void aFailingCopyNeverReplacesAGoodOne() throws Exception {
        Path source = source("base.img", "image");
        new DiskStore(store(), new ProcessCommandRunner()).prepare(UUID_A, List.of(source.toString()));
        Path copy = new DiskStore(store(), new ProcessCommandRunner()).copyPath(UUID_A, source.toString());
        Files.writeString(copy, "the guest's data");
        CommandRunner mustNotRun = new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, Duration timeout) {
                throw new AssertionError("copied over a good copy: " + argv);
            }

            @Override
            public CommandResult runAllowingFailure(List<String> argv, Duration timeout) {
                return run(argv, timeout);
            }
        };

        new DiskStore(store(), mustNotRun).prepare(UUID_A, List.of(source.toString()));
        assertThat(Files.readString(copy)).isEqualTo("the guest's data");
    }

    @Test
    void aMissingSourceNamesTheFieldAndMakesNoCopy() {
        DiskStore disks = new DiskStore(store(), new ProcessCommandRunner());

        assertThatThrownBy(() -> disks.prepare(UUID_A, List.of(dir.resolve("absent.img").toString())))
            .hasMessageContaining("absent.img does not exist or is not readable").hasMessageContaining("spec.disks[].source");
        assertThat(Files.exists(store())).isFalse();
    }

    @Test
    void cleanupRemovesOnlyThisDomainsCopiesNeverASource() throws Exception {
        Path source = source("base.img", "image");
        UUID other = UUID.randomUUID();
        DiskStore disks = new DiskStore(store(), new ProcessCommandRunner());
        disks.prepare(UUID_A, List.of(source.toString()));
        disks.prepare(other, List.of(source.toString()));

        List<Path> removed = disks.cleanup(UUID_A, List.of(source.toString()));

        assertThat(removed).containsExactly(disks.copyPath(UUID_A, source.toString()));
        assertThat(source).exists();
        assertThat(disks.copyPath(other, source.toString())).exists();
    }

    @Test
    void pathsOnNodeListWhatExists() throws Exception {
        Path source = source("base.img", "image");
        Path inPlace = source("data.img", "data");
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisks(List.of(disk(source, true), disk(inPlace, false), disk(dir.resolve("gone.img"), false)));
        DiskStore disks = new DiskStore(store(), new ProcessCommandRunner());

        assertThat(disks.pathsOnNode(UUID_A, spec)).as("no copy yet").containsExactly(inPlace.toString());
        disks.prepare(UUID_A, List.of(source.toString()));
        assertThat(disks.pathsOnNode(UUID_A, spec))
            .containsExactly(disks.copyPath(UUID_A, source.toString()).toString(), inPlace.toString());
    }

    private static Disk disk(Path source, boolean copy) {
        Disk d = new Disk();
        d.setSource(source.toString());
        d.setTarget("xvda");
        d.setCopyOnStart(copy);
        return d;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
