package io.domainoperator.hypervisor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What backend auto-detection looks at: a root directory (for {@code /proc/xen}) and the directories of
 * {@code PATH}. Both are passed in so tests build a fake root and PATH in a temp directory.
 *
 * @param root  the file system root, {@code /} in production
 * @param path  the directories searched for executables, in order
 */
public record HostProbe(Path root, List<Path> path) {
    public HostProbe {
        Objects.requireNonNull(root, "root");
        path = List.copyOf(path);
    }

    /** The real machine: {@code /} and the process's {@code PATH}, read once here at start-up. */
    public static HostProbe system() {
        String pathVariable = System.getenv("PATH");
        return new HostProbe(Path.of("/"), pathVariable == null ? List.of()
            : Arrays.stream(pathVariable.split(File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of).toList());
    }

    /** Xen's control interface is mounted: this kernel runs on Xen (in dom0, xl works). */
    public boolean xenPresent() {
        return Files.exists(root.resolve("proc/xen"));
    }

    /** The first executable file called name on the PATH. */
    public Optional<Path> findExecutable(String name) {
        return path.stream().map(dir -> dir.resolve(name))
            .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
