package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile sources: each is refused at once with the field, what it resolves to, and the flag that allows more. */
class ImageRootsTest {
    @TempDir
    Path dir;

    private Path root() throws Exception {
        return Files.createDirectories(dir.resolve("images"));
    }

    private Optional<String> kernel(String path) throws Exception {
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setKernel(path);
        return new ImageRoots(List.of(root())).refusal(spec);
    }

    @Test
    void aRegularFileInsideARootIsAllowedAndSoIsASymlinkThatStaysInside() throws Exception {
        Path image = Files.writeString(root().resolve("vmlinuz"), "k");
        Files.createSymbolicLink(root().resolve("current"), image);

        assertThat(kernel(image.toString())).isEmpty();
        assertThat(kernel(root().resolve("current").toString())).isEmpty();
        assertThat(kernel(root().resolve("not-yet-there").toString())).as("missing: the boot reports it").isEmpty();
    }

    @Test
    void aSymlinkFromInsideARootToAHostFileIsRefused() throws Exception {
        Files.createSymbolicLink(root().resolve("disk.img"), Path.of("/etc/shadow"));

        assertThat(kernel(root().resolve("disk.img").toString())).get().asString()
            .startsWith("spec.kernel '" + root().resolve("disk.img") + "' resolves to '/etc/shadow', outside the allowed image roots")
            .endsWith("start the agent with --allowed-image-root <folder>");
    }

    @Test
    void dotDotOutOfARootIsRefusedWhetherOrNotTheTargetExists() throws Exception {
        assertThat(kernel(root() + "/../../../../etc/passwd")).get().asString().contains("resolves to '/etc/passwd', outside");
        assertThat(kernel(root() + "/../elsewhere/missing.img")).get().asString()
            .contains("resolves to '" + dir.resolve("elsewhere/missing.img") + "', outside");
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfHangingTheBoot() throws Exception {
        Path fifo = root().resolve("vmlinuz");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is not available here");

        assertThat(kernel(fifo.toString())).get().asString()
            .isEqualTo("spec.kernel '" + fifo + "' is a FIFO, not a regular file; point it at an image file");
    }

    @Test
    void aDeviceADirectoryAndARelativePathAreRefused() throws Exception {
        Files.createSymbolicLink(root().resolve("null.img"), Path.of("/dev/null"));
        DomainConfigSpec spec = new DomainConfigSpec();
        Disk disk = new Disk();
        disk.setSource(root().resolve("null.img").toString());
        disk.setTarget("xvda");
        spec.setDisks(List.of(disk));
        ImageRoots roots = new ImageRoots(List.of(root(), Path.of("/dev")));

        assertThat(roots.refusal(spec)).get().asString()
            .isEqualTo("spec.disks[0].source '" + root().resolve("null.img") + "' is a character device, not a regular file; point it at an image file");
        assertThat(kernel(root().toString())).get().asString().contains("is a directory, not a regular file");
        assertThat(kernel("images/vmlinuz")).get().asString().contains("is not an absolute path");
    }

    @Test
    void theRamdiskAndEveryDiskAreCheckedAndTheFirstBadFieldIsNamed() throws Exception {
        Path good = Files.writeString(root().resolve("initrd.img"), "i");
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setRamdisk(good.toString());
        Disk ok = new Disk();
        ok.setSource(good.toString());
        Disk bad = new Disk();
        bad.setSource("/etc/hostname");
        spec.setDisks(List.of(ok, bad));

        assertThat(new ImageRoots(List.of(root())).refusal(spec)).get().asString().startsWith("spec.disks[1].source '/etc/hostname'");
    }
}
