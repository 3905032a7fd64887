package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.ProcessCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/** Installs src/test/resources/xl/fake-xl.sh into a temp dir, with its state kept next to it. */
final class FakeXl {
    final Path executable;
    final Path state;
    /**
     * xenstore-read, xenstore-ls and xenstore-rm over the fake's one xenstore tree (src/test/resources/xl/fake-xenstore.sh,
     * one script that picks its mode from its name, as Xen's clients do).
     */
    final Path xenstoreRead;
    final Path xenstoreLs;
    final Path xenstoreRm;
    private final Path dir;

    FakeXl(Path dir) {
        this.dir = dir;
        this.executable = dir.resolve("xl");
        this.xenstoreRead = dir.resolve("xenstore-read");
        this.state = dir.resolve("xl-state");
        this.xenstoreLs = dir.resolve("xenstore-ls");
        this.xenstoreRm = dir.resolve("xenstore-rm");
        try {
            Files.writeString(executable, EveExample.resource("fake-xl.sh").replace("@STATE@", state.toString()));
            Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path tool : List.of(xenstoreRead, xenstoreLs, xenstoreRm)) {
                Files.writeString(tool, EveExample.resource("fake-xenstore.sh").replace("@STATE@", state.toString()));
                Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings of an agent on the fake's node: xl and the xenstore tools are the fake's, runtime files in {@code run/}. */
    XlHypervisor.Settings settings() {
        return new XlHypervisor.Settings(dir.resolve("run"), executable.toString(), Duration.ofSeconds(20),
            Duration.ofSeconds(20)).withXenstoreTools(xenstoreLs.toString(), xenstoreRm.toString());
    }

    /** A backend over the fake, as that agent holds it. */
    XlHypervisor backend() {
        return new XlHypervisor(new ProcessCommandRunner(), settings());
    }

    /** Runs the fake directly, as someone other than the operator would (for foreign domains, crashes). */
    void run(String... args) {
        exec(concat(args));
    }

    /** {@code xenstore-ls -f PATH}'s output, as an administrator would read it. */
    String xenstoreLs(String path) {
        return exec(List.of(xenstoreLs.toString(), "-f", path));
    }

    private String exec(List<String> argv) {
        String[] args = argv.toArray(String[]::new);
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void touch(String switchName, String content) {
        try {
            Files.createDirectories(state);
            Files.writeString(state.resolve(switchName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> calls() {
        try {
            return Files.readAllLines(state.resolve("calls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> concat(String... args) {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(executable.toString());
        argv.addAll(List.of(args));
        return argv;
    }
}
